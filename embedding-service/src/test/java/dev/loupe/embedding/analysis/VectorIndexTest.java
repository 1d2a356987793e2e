package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class VectorIndexTest {

    @Test
    void nearestNeighboursMatchASortedBruteForce() {
        float[][] vectors = randomUnitVectors(500, 16, 3);
        VectorIndex index = new VectorIndex(vectors);
        Neighbors found = index.nearest(vectors[7], 10, 7);
        Integer[] all = new Integer[500];
        for (int i = 0; i < 500; i++) {
            all[i] = i;
        }
        java.util.Arrays.sort(all, (a, b) -> Float.compare(index.distance(7, a), index.distance(7, b)));
        int[] expected = java.util.Arrays.stream(all).filter(i -> i != 7).limit(10).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, found.index());
        for (int j = 1; j < found.size(); j++) {
            assertTrue(found.distance()[j - 1] <= found.distance()[j]);
        }
    }

    @Test
    void identicalVectorsAreAtDistanceZeroAndFirst() {
        float[][] vectors = randomUnitVectors(50, 8, 4);
        vectors[20] = vectors[3].clone();
        Neighbors found = new VectorIndex(vectors).nearest(vectors[3], 1, 3);
        assertEquals(20, found.index()[0]);
        assertEquals(0f, found.distance()[0], 1e-6f);
    }

    @Test
    void graphGivesEveryRowKNeighboursWithoutItself() {
        float[][] vectors = randomUnitVectors(100, 8, 5);
        Neighbors[] graph = new VectorIndex(vectors).graph(5);
        for (int i = 0; i < graph.length; i++) {
            assertEquals(5, graph[i].size());
            for (int j : graph[i].index()) {
                assertTrue(j != i);
            }
        }
    }

    public static float[][] randomUnitVectors(int n, int d, long seed) {
        Random random = new Random(seed);
        float[][] vectors = new float[n][d];
        for (float[] v : vectors) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                v[j] = (float) random.nextGaussian();
                norm += v[j] * v[j];
            }
            for (int j = 0; j < d; j++) {
                v[j] /= (float) Math.sqrt(norm);
            }
        }
        return vectors;
    }
}
