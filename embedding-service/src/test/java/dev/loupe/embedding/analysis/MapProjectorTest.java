package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class MapProjectorTest {

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
    void theApproximateGraphAboveTheLimitKeepsClustersApart() {
        int perCluster = 300;
        float[][] vectors = clusters(4, perCluster, 64, 0.05, 12);
        var defaults = MapProjector.Settings.defaults();
        var settings = new MapProjector.Settings(defaults.neighbors(), defaults.pcaDimensions(), defaults.epochs(),
                defaults.minDist(), defaults.seed(), 100, 3, defaults.maxUmapPoints());
        double[][] map = new MapProjector(settings).project(vectors);
        assertEquals(4 * perCluster, map.length);
        double[][] centres = new double[4][2];
        for (int i = 0; i < map.length; i++) {
            assertTrue(Double.isFinite(map[i][0]) && Double.isFinite(map[i][1]), "point " + i);
            centres[i / perCluster][0] += map[i][0] / perCluster;
            centres[i / perCluster][1] += map[i][1] / perCluster;
        }
        int misplaced = 0;
        for (int i = 0; i < map.length; i++) {
            for (int c = 0; c < 4; c++) {
                if (c != i / perCluster && dist(map[i], centres[c]) < dist(map[i], centres[i / perCluster])) {
                    misplaced++;
                    break;
                }
            }
        }
        assertEquals(0, misplaced);
    }

    @Test
    void aboveTheLimitLandmarksAreMappedAndTheRestPlacedAmongThem() {
        int perCluster = 250;
        float[][] vectors = clusters(4, perCluster, 32, 0.05, 13);
        var defaults = MapProjector.Settings.defaults();
        var settings = new MapProjector.Settings(defaults.neighbors(), defaults.pcaDimensions(), defaults.epochs(),
                defaults.minDist(), defaults.seed(), defaults.exactGraphLimit(), defaults.probes(), 300);
        MapProjector.Projection projection = new MapProjector(settings).projectTimed(vectors);
        assertEquals(300, projection.landmarks());
        double[][] map = projection.xy();
        assertEquals(4 * perCluster, map.length);
        double[][] centres = new double[4][2];
        for (int i = 0; i < map.length; i++) {
            assertTrue(Double.isFinite(map[i][0]) && Double.isFinite(map[i][1]), "point " + i);
            centres[i / perCluster][0] += map[i][0] / perCluster;
            centres[i / perCluster][1] += map[i][1] / perCluster;
        }
        for (int i = 0; i < map.length; i++) {
            for (int c = 0; c < 4; c++) {
                if (c != i / perCluster) {
                    assertTrue(dist(map[i], centres[i / perCluster]) < dist(map[i], centres[c]), "point " + i);
                }
            }
        }
    }

    @Test
    void aPlacedPointLandsOnItsExactDuplicateAndBetweenEqualNeighbours() {
        double[][] positions = {{0, 0}, {10, 0}, {0, 10}, null};
        assertArrayEquals(new double[]{10, 0}, MapProjector.place(new Neighbors(new int[]{1}, new float[]{0f}), positions), 1e-9);
        double[] between = MapProjector.place(new Neighbors(new int[]{0, 1, 3}, new float[]{0.2f, 0.2f, 0.1f}), positions);
        assertArrayEquals(new double[]{5, 0}, between, 1e-9);
        assertArrayEquals(new double[]{0, 0}, MapProjector.place(new Neighbors(new int[]{3}, new float[]{0.1f}), positions), 1e-9);
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

    public static float[][] clusters(int count, int perCluster, int d, double spread, long seed) {
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
