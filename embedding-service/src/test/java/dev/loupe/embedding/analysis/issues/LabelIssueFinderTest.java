package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.MapProjectorTest;
import dev.loupe.embedding.analysis.ProjectSnapshot;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelIssueFinderTest {

    private static final int PER_CLASS = 40;

    private static ProjectSnapshot withFlips(int... flipped) {
        float[][] vectors = MapProjectorTest.clusters(3, PER_CLASS, 16, 0.3, 5);
        String[] labels = TestSnapshots.labelsByBlock(3, PER_CLASS);
        for (int row : flipped) {
            labels[row] = "c" + (row / PER_CLASS + 1) % 3;
        }
        return TestSnapshots.of(vectors, labels, null);
    }

    @Test
    void aFlippedLabelIsFoundWithItsTrueClassByName() {
        List<LabelIssue> issues = new LabelIssueFinder(null).find(withFlips(3, 50));
        LabelIssue first = issues.stream().filter(i -> i.itemId().equals(TestSnapshots.id(3))).findFirst().orElseThrow();
        assertEquals("c1", first.givenLabel());
        assertEquals("c0", first.suggestedLabel());
        assertEquals(List.of("embeddings"), first.signals());
        assertNull(first.model());
        assertTrue(issues.stream().anyMatch(i -> i.itemId().equals(TestSnapshots.id(50)) && i.suggestedLabel().equals("c1")));
        for (int r = 1; r < issues.size(); r++) {
            assertTrue(issues.get(r - 1).score() >= issues.get(r).score(), "ranked by confidence");
        }
    }

    @Test
    void aModelThatDisagreesWithALabelMakesItAnIssueAndSaysSo() {
        ProjectSnapshot snapshot = withFlips();
        UUID evaluation = UUID.randomUUID();
        Map<UUID, float[]> model = new HashMap<>();
        // the model's class order differs from the snapshot's; it is lukewarm about every item but item 7
        // (labelled c0), which it is sure is a c2
        for (int i = 0; i < snapshot.size(); i++) {
            float[] p = i == 7 ? new float[]{0.96f, 0.02f, 0.02f} : new float[]{0.2f, 0.2f, 0.2f};
            if (i != 7) {
                p[2 - i / PER_CLASS] = 0.6f;
            }
            model.put(TestSnapshots.id(i), p);
        }
        List<LabelIssue> issues = new LabelIssueFinder(new PredictionBlend(evaluation, List.of("c2", "c1", "c0"), model))
                .find(snapshot);
        LabelIssue issue = issues.stream().filter(i -> i.itemId().equals(TestSnapshots.id(7))).findFirst()
                .orElseThrow(() -> new AssertionError("the model's suspect is a finding: " + issues));
        assertEquals("c2", issue.suggestedLabel());
        assertEquals(List.of("embeddings", "model"), issue.signals());
        assertEquals("c2", issue.model().label());
        assertEquals(0.96, issue.model().suggestedLabelProbability(), 1e-6);
        assertEquals(0.02, issue.model().givenLabelProbability(), 1e-6);
        assertEquals(evaluation, issue.model().evaluationId());
    }

    @Test
    void tooFewItemsOrOneClassHaveNoLabelIssues() {
        float[][] vectors = MapProjectorTest.clusters(1, 30, 8, 0.3, 1);
        String[] labels = TestSnapshots.labelsByBlock(1, 30);
        assertEquals(List.of(), new LabelIssueFinder(null).find(TestSnapshots.of(vectors, labels, null)));
    }

    @Test
    void modelRowsFollowTheSnapshotsClassesAndAreNormalised() {
        ProjectSnapshot snapshot = TestSnapshots.of(MapProjectorTest.clusters(2, 2, 4, 0.1, 1),
                new String[]{"a", "a", "b", "b"}, null);
        Map<UUID, float[]> p = Map.of(TestSnapshots.id(0), new float[]{0.2f, 0.3f, 0.5f},
                TestSnapshots.id(2), new float[]{0f, 0f, 1f});
        double[][] rows = new PredictionBlend(null, List.of("b", "x", "a"), p).rows(snapshot);
        assertArrayEquals(new double[]{0.5 / 0.7, 0.2 / 0.7}, rows[0], 1e-6);
        assertNull(rows[1], "not predicted");
        assertArrayEquals(new double[]{1, 0}, rows[2], 1e-6);
        assertNull(rows[3], "nothing left of the known classes");

        double[][] blended = PredictionBlend.blend(new double[][]{{0.2, 0.8}, {0.6, 0.4}}, new double[][]{{1, 0}, null});
        assertArrayEquals(new double[]{0.75 + 0.25 * 0.2, 0.25 * 0.8}, blended[0], 1e-12);
        assertArrayEquals(new double[]{0.6, 0.4}, blended[1], 1e-12);
    }
}
