package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class UmapLayoutTest {

    @Test
    void theCurveIsUmapLearnsForMinDistPointOne() {
        UmapLayout.Curve curve = UmapLayout.Curve.fit(0.1, 1.0);
        assertEquals(1.577, curve.a(), 0.01);
        assertEquals(0.895, curve.b(), 0.005);
        UmapLayout.Curve loose = UmapLayout.Curve.fit(0.5, 1.0);
        assertTrue(loose.a() < curve.a(), "a larger min-dist flattens the curve near 0: " + loose);
    }

    @Test
    void theFastPowerIsCloseToMathPow() {
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) Math.exp(random.nextDouble() * 40 - 20);
            float y = (float) (random.nextDouble() * 3 - 1.5);
            double exact = Math.pow(x, y);
            assertEquals(exact, UmapLayout.pow(x, y), 2e-5 * exact, "x " + x + ", y " + y);
        }
        assertEquals(Math.pow(1e-35, 0.9), UmapLayout.pow(1e-35f, 0.9f), 1e-36);
        assertEquals(1.0, UmapLayout.pow(1f, 0.895f), 1e-6);
    }

    @Test
    void membershipsAreOneForTheNearestAndSumToLogTwoOfKPlusOne() {
        Neighbors near = new Neighbors(new int[]{1, 2, 3, 4, 5, 6, 7}, new float[]{0.01f, 0.02f, 0.04f, 0.08f, 0.1f, 0.2f, 0.3f});
        double[] w = UmapLayout.memberships(near);
        assertEquals(1.0, w[0], 1e-12);
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
            sum += w[j];
            if (j > 0) {
                assertTrue(w[j] < w[j - 1], "memberships fall with distance");
            }
        }
        assertEquals(3.0, sum, 1e-4);
    }

    @Test
    void theFuzzyGraphIsSymmetricWithTheFuzzyUnion() {
        float[][] vectors = MapProjectorTest.clusters(3, 40, 16, 0.3, 2);
        Neighbors[] knn = new VectorIndex(vectors).graph(10);
        UmapLayout.Graph graph = UmapLayout.fuzzyGraph(knn, 200);
        Map<Long, Double> weights = new HashMap<>();
        for (int e = 0; e < graph.head().length; e++) {
            assertTrue(graph.head()[e] != graph.tail()[e], "no self loops");
            Double before = weights.put(key(graph.head()[e], graph.tail()[e]), graph.weight()[e]);
            assertEquals(null, before, "each directed edge once");
        }
        for (var entry : weights.entrySet()) {
            long k = entry.getKey();
            Double back = weights.get(key((int) k, (int) (k >>> 32)));
            assertTrue(back != null, "both directions of an edge");
            assertEquals(entry.getValue(), back, 1e-12);
            assertTrue(entry.getValue() > 0 && entry.getValue() <= 1);
        }
        // the 1-memberships of nearest neighbours survive the union
        assertEquals(1.0, weights.get(key(0, knn[0].index()[0])), 1e-12);
    }

    @Test
    void theLayoutKeepsNeighboursAndSeparatesClustersOnTwoThreads() {
        // 6 flat patches x 800 points in 32-d: above the edge count where the descent runs in parallel
        int perCluster = 800;
        float[][] vectors = patches(6, perCluster, 32, 17);
        VectorIndex index = new VectorIndex(vectors);
        Neighbors[] knn = index.graph(15);
        double[][] start = new double[vectors.length][];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < start.length; i++) {
            // a start with no structure at all: everything the map shows comes from the descent
            start[i] = new double[]{random.nextDouble(), random.nextDouble()};
        }
        double[][] map = UmapLayout.layout(knn, start, 200, 0.1, 42, 2);
        assertEquals(vectors.length, map.length);
        double kept = 0;
        int sameCluster = 0;
        int sampled = 0;
        for (int i = 0; i < map.length; i += 7) {
            assertTrue(Double.isFinite(map[i][0]) && Double.isFinite(map[i][1]), "point " + i);
            int[] onMap = nearestOnMap(map, i, 15);
            int shared = 0;
            for (int j : onMap) {
                if (contains(knn[i].index(), j)) {
                    shared++;
                }
                if (j / perCluster == i / perCluster) {
                    sameCluster++;
                }
            }
            kept += shared / 15.0;
            sampled++;
        }
        kept /= sampled;
        // a random map keeps 15 / 4,800 of them
        assertTrue(kept > 0.6, "share of 15 nearest neighbours kept on the map: " + kept);
        assertTrue(sameCluster >= 0.995 * 15 * sampled, "map neighbours from the own cluster: " + sameCluster);
    }

    @Test
    void oneThreadGivesTheSameLayoutForTheSameSeed() {
        float[][] vectors = MapProjectorTest.clusters(3, 100, 16, 0.3, 6);
        Neighbors[] knn = new VectorIndex(vectors).graph(15);
        double[][] start = new double[vectors.length][];
        for (int i = 0; i < start.length; i++) {
            start[i] = new double[]{vectors[i][0], vectors[i][1]};
        }
        double[][] first = UmapLayout.layout(knn, start, 100, 0.1, 7, 1);
        double[][] second = UmapLayout.layout(knn, start, 100, 0.1, 7, 1);
        double[][] otherSeed = UmapLayout.layout(knn, start, 100, 0.1, 8, 1);
        boolean differs = false;
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], second[i], 0.0);
            differs |= first[i][0] != otherSeed[i][0];
        }
        assertTrue(differs, "the seed drives the negative sampling");
    }

    /** Points on 2-D patches (random planes through random centres), normalised: a map can keep their neighbours. */
    private static float[][] patches(int count, int perPatch, int d, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[][] vectors = new float[count * perPatch][d];
        for (int c = 0; c < count; c++) {
            double[][] basis = new double[3][d];
            for (double[] row : basis) {
                for (int x = 0; x < d; x++) {
                    row[x] = random.nextGaussian();
                }
            }
            for (int p = 0; p < perPatch; p++) {
                double u = random.nextDouble() - 0.5;
                double v = random.nextDouble() - 0.5;
                float[] row = vectors[c * perPatch + p];
                double norm = 0;
                for (int x = 0; x < d; x++) {
                    row[x] = (float) (basis[0][x] + u * basis[1][x] + v * basis[2][x]);
                    norm += row[x] * row[x];
                }
                for (int x = 0; x < d; x++) {
                    row[x] /= (float) Math.sqrt(norm);
                }
            }
        }
        return vectors;
    }

    private static long key(int head, int tail) {
        return ((long) tail << 32) | head;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static int[] nearestOnMap(double[][] map, int row, int k) {
        TopK top = new TopK(k);
        for (int j = 0; j < map.length; j++) {
            if (j != row) {
                top.offer(j, (float) Math.hypot(map[j][0] - map[row][0], map[j][1] - map[row][1]));
            }
        }
        return top.result().index();
    }
}
