package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FindingsTest {

    private static final int CLASSES = 4;
    private static final int PER_CLASS = 80;

    @Test
    void plantedLabelFlipsAreFoundWithTheirTrueClass() {
        float[][] vectors = MapProjectorTest.clusters(CLASSES, PER_CLASS, 32, 0.35, 21);
        int[] truth = new int[vectors.length];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = i / PER_CLASS;
        }
        int[] labels = truth.clone();
        Random random = new Random(3);
        Set<Integer> flipped = new HashSet<>();
        while (flipped.size() < 16) {
            int row = random.nextInt(labels.length);
            if (flipped.add(row)) {
                labels[row] = (truth[row] + 1 + random.nextInt(CLASSES - 1)) % CLASSES;
            }
        }
        double[][] p = OutOfFold.probabilities(toDouble(vectors), labels, CLASSES, 5, 7, 0.1);
        Neighbors[] knn = new VectorIndex(vectors).graph(10);
        List<LabelIssues.Issue> issues = LabelIssues.find(p, labels, CLASSES, knn);

        long found = issues.stream().filter(i -> flipped.contains(i.row())).count();
        assertTrue(found >= 14, "found " + found + " of 16 flips: " + issues);
        assertTrue(issues.size() <= 22, "too many false alarms: " + issues.size());
        issues.stream().filter(i -> flipped.contains(i.row()))
                .forEach(i -> assertEquals(truth[i.row()], i.suggested(), "suggestion for row " + i.row()));
        // ranked by confidence: the first few are real flips
        for (int r = 0; r < 5; r++) {
            assertTrue(flipped.contains(issues.get(r).row()));
        }
    }

    @Test
    void aFarAwayPointIsTheTopOutlier() {
        float[][] vectors = MapProjectorTest.clusters(3, 50, 16, 0.2, 8);
        vectors[17] = VectorIndexTest.randomUnitVectors(1, 16, 99)[0];
        Outliers.Score[] scores = Outliers.scores(new VectorIndex(vectors).graph(10));
        int top = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i].meanDistance() > scores[top].meanDistance()) {
                top = i;
            }
        }
        assertEquals(17, top);
        assertTrue(scores[17].robustZ() > 5, "z=" + scores[17].robustZ());
    }

    @Test
    void exactAndNearDuplicatesAreReportedOnce() {
        float[][] vectors = VectorIndexTest.randomUnitVectors(40, 16, 2);
        vectors[9] = vectors[2].clone();
        vectors[30] = vectors[5].clone();
        vectors[30][0] += 1e-4f;
        String[] hashes = new String[40];
        for (int i = 0; i < 40; i++) {
            hashes[i] = "h" + i;
        }
        hashes[9] = "h2";
        List<Duplicates.Pair> pairs = Duplicates.find(hashes, new VectorIndex(vectors).graph(3), 0.001);
        assertEquals(2, pairs.size(), pairs.toString());
        assertTrue(pairs.contains(new Duplicates.Pair(2, 9, 0, true)));
        assertTrue(pairs.stream().anyMatch(p -> p.a() == 5 && p.b() == 30 && !p.exact()));
    }

    @Test
    void shiftAucIsNearHalfForOneDistributionAndHighForAShiftedOne() {
        float[][] same = MapProjectorTest.clusters(2, 150, 16, 0.3, 4);
        boolean[] isVal = new boolean[same.length];
        for (int i = 0; i < isVal.length; i++) {
            isVal[i] = i % 4 == 0;
        }
        double mixed = Shift.auc(toDouble(same), isVal, 5, 1);
        assertTrue(Math.abs(mixed - 0.5) < 0.12, "auc " + mixed);

        boolean[] shifted = new boolean[same.length];
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = i >= 150 && i % 2 == 0 || i < 150 && i % 10 == 0;
        }
        // val is half of one region and a tenth of the other; a classifier that knows the region perfectly
        // reaches (75/90)(135/210) + 0.5 [(75/90)(75/210) + (15/90)(135/210)] = 0.738
        double auc = Shift.auc(toDouble(same), shifted, 5, 1);
        assertTrue(auc > 0.65 && auc < 0.76, "auc " + auc);
    }

    @Test
    void aucOfPerfectAndTiedScores() {
        assertEquals(1.0, Shift.auc(new double[]{0.1, 0.2, 0.8, 0.9}, new boolean[]{false, false, true, true}), 1e-12);
        assertEquals(0.5, Shift.auc(new double[]{0.5, 0.5, 0.5, 0.5}, new boolean[]{false, true, false, true}), 1e-12);
    }

    @Test
    void styleClustersSeparateTwoStylesOfOneClass() {
        float[][] vectors = MapProjectorTest.clusters(2, 60, 16, 0.1, 13);
        int[] group = StyleClusters.assign(toDouble(vectors), 2, 5);
        for (int i = 0; i < 60; i++) {
            assertEquals(group[0], group[i]);
            assertEquals(group[60], group[60 + i]);
        }
        assertTrue(group[0] != group[60]);
        assertEquals(1, StyleClusters.clusterCount(5, 8));
        assertEquals(8, StyleClusters.clusterCount(100_000, 8));
    }

    static double[][] toDouble(float[][] vectors) {
        double[][] x = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            x[i] = new double[vectors[i].length];
            for (int j = 0; j < vectors[i].length; j++) {
                x[i][j] = vectors[i][j];
            }
        }
        return x;
    }
}
