package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectSnapshotGraphTest {

    /**
     * Above {@link ProjectSnapshot#EXACT_GRAPH_LIMIT} rows the graph is approximate: the duplicates finder reads it, so
     * every near-copy must still be among its twin's nearest neighbours, and most neighbours must be the exact ones.
     */
    @Test
    void aboveTheLimitTheApproximateGraphKeepsEveryNearCopyAndMostNeighbours() {
        SplittableRandom random = new SplittableRandom(7);
        int n = ProjectSnapshot.EXACT_GRAPH_LIMIT + 1_000;
        int d = 16;
        float[][] centres = new float[60][];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = gaussian(random, d, 1);
        }
        List<ItemVector> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v;
            if (i % 100 == 1) {
                v = rows.get(i - 1).vector().clone(); // a near-copy of the row before
                v[0] += 1e-4f;
            } else {
                v = gaussian(random, d, 0.3);
                float[] centre = centres[i % centres.length];
                for (int j = 0; j < d; j++) {
                    v[j] += centre[j];
                }
            }
            rows.add(new ItemVector(new UUID(0, i), "c", null, "h" + i, unit(v), null));
        }
        ProjectSnapshot snapshot = new ProjectSnapshot(UUID.randomUUID(), 1, rows);
        Neighbors[] graph = snapshot.graph();
        for (int i = 1; i < n; i += 100) {
            assertTrue(contains(graph[i], i - 1) && contains(graph[i - 1], i), "near-copies " + (i - 1) + " and " + i);
        }
        // recall against exact search, on a sample of rows
        int found = 0;
        int asked = 0;
        for (int i = 0; i < n; i += 97) {
            Neighbors exact = snapshot.index().nearest(snapshot.index().vector(i), ProjectSnapshot.K, i);
            for (int j = 0; j < exact.size(); j++) {
                found += contains(graph[i], exact.index()[j]) ? 1 : 0;
                asked++;
            }
        }
        assertTrue(found >= 0.9 * asked, "recall " + found + " of " + asked);
    }

    private static boolean contains(Neighbors near, int row) {
        for (int j = 0; j < near.size(); j++) {
            if (near.index()[j] == row) {
                return true;
            }
        }
        return false;
    }

    private static float[] gaussian(SplittableRandom random, int d, double sigma) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            double u1 = 1 - random.nextDouble();
            double u2 = random.nextDouble();
            v[j] = (float) (sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int j = 0; j < v.length; j++) {
            v[j] *= scale;
        }
        return v;
    }
}
