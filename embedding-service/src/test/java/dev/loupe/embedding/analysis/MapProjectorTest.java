package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MapProjectorTest {

    @Test
    void separatedClustersStaySeparatedAndNoPointIsDropped() {
        // three tight clusters far apart in 64-d: disconnected k-NN components, the case Smile 3.x dropped
        int perCluster = 120;
        float[][] vectors = clusters(3, perCluster, 64, 0.05, 11);
        double[][] map = new MapProjector(MapProjector.Settings.defaults()).project(vectors);
        assertEquals(3 * perCluster, map.length);
        double[][] centres = new double[3][2];
        for (int i = 0; i < map.length; i++) {
            assertEquals(2, map[i].length);
            assertTrue(Double.isFinite(map[i][0]) && Double.isFinite(map[i][1]), "point " + i);
            centres[i / perCluster][0] += map[i][0] / perCluster;
            centres[i / perCluster][1] += map[i][1] / perCluster;
        }
        // every point is nearer its own cluster's centre than any other
        for (int i = 0; i < map.length; i++) {
            int own = i / perCluster;
            for (int c = 0; c < 3; c++) {
                if (c != own) {
                    assertTrue(dist(map[i], centres[own]) < dist(map[i], centres[c]), "point " + i);
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameMap() {
        float[][] vectors = clusters(2, 60, 16, 0.2, 5);
        var projector = new MapProjector(MapProjector.Settings.defaults());
        double[][] first = projector.project(vectors);
        double[][] second = projector.project(vectors);
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], second[i], 1e-9);
        }
    }

    private static double dist(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }

    static float[][] clusters(int count, int perCluster, int d, double spread, long seed) {
        Random random = new Random(seed);
        float[][] vectors = new float[count * perCluster][d];
        for (int c = 0; c < count; c++) {
            double[] centre = new double[d];
            for (int j = 0; j < d; j++) {
                centre[j] = random.nextGaussian();
            }
            for (int p = 0; p < perCluster; p++) {
                float[] v = vectors[c * perCluster + p];
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    v[j] = (float) (centre[j] + spread * random.nextGaussian());
                    norm += v[j] * v[j];
                }
                for (int j = 0; j < d; j++) {
                    v[j] /= (float) Math.sqrt(norm);
                }
            }
        }
        return vectors;
    }
}
