package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusteredKnnTest {

    @Test
    void findsMostOfTheExactNeighboursAndNeverItself() {
        // 40 styles of 150 points in 32-d: the shape of embeddings of a labelled image set
        float[][] vectors = MapProjectorTest.clusters(40, 150, 32, 0.6, 3);
        int k = 15;
        Neighbors[] exact = new VectorIndex(vectors).graph(k);
        Neighbors[] approximate = ClusteredKnn.graph(vectors, k, 8, 42);
        assertEquals(vectors.length, approximate.length);
        long found = 0;
        for (int i = 0; i < vectors.length; i++) {
            assertEquals(k, approximate[i].size(), "row " + i);
            Set<Integer> truth = new HashSet<>();
            for (int j : exact[i].index()) {
                truth.add(j);
            }
            float previous = -1f;
            for (int j = 0; j < k; j++) {
                int neighbour = approximate[i].index()[j];
                assertTrue(neighbour != i, "row " + i + " is its own neighbour");
                assertTrue(approximate[i].distance()[j] >= previous, "row " + i + " not sorted by distance");
                previous = approximate[i].distance()[j];
                if (truth.contains(neighbour)) {
                    found++;
                }
            }
        }
        double recall = found / (double) (vectors.length * k);
        assertTrue(recall >= 0.9, "recall " + recall);
        assertTrue(recall < 1.0 || vectors.length < 100, "a probe of 8 of 77 cells should not be exact here: " + recall);
    }

    @Test
    void searchingEveryCellIsExact() {
        float[][] vectors = MapProjectorTest.clusters(5, 40, 16, 0.3, 9);
        Neighbors[] exact = new VectorIndex(vectors).graph(5);
        Neighbors[] all = ClusteredKnn.graph(vectors, 5, Integer.MAX_VALUE, 1);
        for (int i = 0; i < vectors.length; i++) {
            assertArrayEquals(exact[i].index(), all[i].index(), "row " + i);
        }
    }

    @Test
    void theSameSeedGivesTheSameGraph() {
        float[][] vectors = MapProjectorTest.clusters(10, 100, 16, 0.5, 4);
        Neighbors[] first = ClusteredKnn.graph(vectors, 10, 4, 7);
        Neighbors[] second = ClusteredKnn.graph(vectors, 10, 4, 7);
        for (int i = 0; i < vectors.length; i++) {
            assertArrayEquals(first[i].index(), second[i].index(), "row " + i);
        }
    }
}
