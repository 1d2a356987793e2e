package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.MapLayout;
import dev.loupe.embedding.analysis.MapProjectorTest;
import dev.loupe.embedding.analysis.ProjectSnapshot;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectSnapshotTest {

    @Test
    void classesAreSortedAndEachDerivedResultIsComputedOnce() {
        ProjectSnapshot snapshot = TestSnapshots.of(MapProjectorTest.clusters(3, 1, 4, 0.1, 1),
                new String[]{"zeta", "alpha", "mu"}, null);
        assertEquals(List.of("alpha", "mu", "zeta"), snapshot.classes());
        assertArrayEquals(new int[]{2, 0, 1}, snapshot.labels());
        assertEquals(1, snapshot.rowOf(TestSnapshots.id(1)));

        ProjectSnapshot.Key<Object> key = new ProjectSnapshot.Key<>("test");
        AtomicInteger runs = new AtomicInteger();
        Object first = snapshot.derived(key, s -> new Object[]{runs.incrementAndGet()});
        assertSame(first, snapshot.derived(key, s -> new Object[]{runs.incrementAndGet()}));
        assertEquals(1, runs.get());
    }

    @Test
    void aPointAddedAfterTheFullRunIsPlacedAmongItsNeighbours() {
        float[][] vectors = MapProjectorTest.clusters(2, 20, 8, 0.05, 4);
        ProjectSnapshot snapshot = TestSnapshots.of(vectors, TestSnapshots.labelsByBlock(2, 20), null);
        Map<UUID, double[]> positions = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            if (i != 3) {
                positions.put(TestSnapshots.id(i), i < 20 ? new double[]{-10, 0} : new double[]{10, 5});
            }
        }
        MapLayout covered = new MapLayout(4, positions, 123).covering(snapshot);
        assertEquals(40, covered.positions().size());
        assertArrayEquals(new double[]{-10, 0}, covered.positions().get(TestSnapshots.id(3)), 1e-9);
        assertEquals(4, covered.version());

        MapLayout none = MapLayout.NONE.covering(snapshot);
        assertTrue(none.positions().values().stream().allMatch(p -> p[0] == 0 && p[1] == 0));
        assertEquals(0, none.version());
    }
}
