package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.InkMeter;
import dev.loupe.embedding.analysis.ItemVector;
import dev.loupe.embedding.analysis.MapProjectorTest;
import dev.loupe.embedding.analysis.ProjectSnapshot;
import dev.loupe.embedding.analysis.VectorIndexTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutlierFinderTest {

    @Test
    void blankAndDarkPagesRankAboveAPointFarFromItsNeighbours() {
        float[][] vectors = MapProjectorTest.clusters(3, 40, 16, 0.2, 8);
        vectors[17] = VectorIndexTest.randomUnitVectors(1, 16, 99)[0];
        List<ItemVector> rows = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            Double ink = switch (i) {
                case 40 -> 0.0;
                case 80 -> 0.9;
                case 90 -> null;
                default -> 0.05;
            };
            rows.add(new ItemVector(TestSnapshots.id(i), "c" + i / 40, null, "h" + i, vectors[i], ink));
        }
        List<Outlier> found = new OutlierFinder().find(TestSnapshots.of(rows));

        // both pages are flagged from pixels although their embeddings sit among the others; the further the
        // ink is from normal, the higher
        assertEquals(TestSnapshots.id(80), found.get(0).itemId(), found.toString());
        assertEquals(Outlier.Reason.MOSTLY_DARK, found.get(0).reason());
        assertEquals(100 + 0.9 - InkMeter.DARK, found.get(0).score(), 1e-12);
        assertEquals(TestSnapshots.id(40), found.get(1).itemId());
        assertEquals(Outlier.Reason.BLANK, found.get(1).reason());
        assertEquals(100 + InkMeter.BLANK, found.get(1).score(), 1e-12);
        Outlier far = found.get(2);
        assertEquals(TestSnapshots.id(17), far.itemId());
        assertEquals(Outlier.Reason.FAR_FROM_NEIGHBOURS, far.reason());
        assertEquals(far.robustZ(), far.score());
        found.stream().skip(2).forEach(o -> assertTrue(o.robustZ() >= OutlierFinder.ROBUST_Z, o.toString()));
        // an unmeasured image is judged by its neighbours alone
        found.stream().filter(o -> o.itemId().equals(TestSnapshots.id(90))).forEach(o -> assertNull(o.ink()));
    }

    @Test
    void ordinaryPagesAreNotOutliers() {
        float[][] vectors = MapProjectorTest.clusters(2, 50, 16, 0.2, 3);
        ProjectSnapshot snapshot = TestSnapshots.of(vectors, TestSnapshots.labelsByBlock(2, 50), null);
        assertTrue(new OutlierFinder().find(snapshot).size() <= 2);
    }

    @Test
    void fewerThanThreeItemsHaveNoOutliers() {
        float[][] vectors = VectorIndexTest.randomUnitVectors(2, 8, 1);
        List<ItemVector> rows = List.of(
                new ItemVector(TestSnapshots.id(0), "a", null, "h0", vectors[0], 0.0),
                new ItemVector(TestSnapshots.id(1), "a", null, "h1", vectors[1], 0.0));
        assertEquals(List.of(), new OutlierFinder().find(TestSnapshots.of(rows)));
    }
}
