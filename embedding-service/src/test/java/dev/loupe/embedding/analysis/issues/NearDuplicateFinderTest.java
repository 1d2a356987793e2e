package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.ItemVector;
import dev.loupe.embedding.analysis.VectorIndexTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NearDuplicateFinderTest {

    @Test
    void pairsNameTheirItemsAndWhetherTheyCrossSplits() {
        float[][] vectors = VectorIndexTest.randomUnitVectors(30, 16, 2);
        vectors[9] = vectors[2].clone();
        vectors[20] = vectors[5].clone();
        vectors[20][0] += 1e-4f;
        List<ItemVector> rows = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            String hash = i == 9 ? "h2" : "h" + i;
            String split = i == 9 ? "val" : i == 20 ? null : "train";
            rows.add(new ItemVector(TestSnapshots.id(i), "a", split, hash, vectors[i], 0.05));
        }
        List<NearDuplicate> pairs = new NearDuplicateFinder(0.001).find(TestSnapshots.of(rows));

        assertEquals(2, pairs.size(), pairs.toString());
        NearDuplicate exact = pairs.get(0);
        assertEquals(List.of(TestSnapshots.id(2), TestSnapshots.id(9)), exact.itemIds());
        assertTrue(exact.exact());
        assertEquals(1.0, exact.score());
        assertTrue(exact.crossesSplit(), "train/val");
        NearDuplicate near = pairs.get(1);
        assertEquals(List.of(TestSnapshots.id(5), TestSnapshots.id(20)), near.itemIds());
        assertFalse(near.exact());
        assertFalse(near.crossesSplit(), "an item without a split crosses nothing");
        assertEquals(1.0 - near.distance(), near.score());
    }
}
