package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    /** A relabel keeps every vector: the next snapshot takes the graph over, remapped to its own row order. */
    @Test
    void aRelabelInPlaceSharesTheVectorIndexTheFeaturesAndTheGraphAndAnAddedItemSharesNothing() {
        SplittableRandom random = new SplittableRandom(13);
        List<ItemVector> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(new ItemVector(new UUID(0, i), i % 2 == 0 ? "a" : "b", null, "h" + i, unit(gaussian(random, 8, 1)), null));
        }
        UUID project = UUID.randomUUID();
        ProjectSnapshot first = new ProjectSnapshot(project, 1, rows);
        Neighbors[] graph = first.graph();
        double[][] features = first.features();

        // the vector cache re-reads relabelled items: same place, an equal vector in a new array
        List<ItemVector> relabelled = new ArrayList<>(rows);
        for (int i = 0; i < 200; i += 7) {
            ItemVector r = rows.get(i);
            relabelled.set(i, new ItemVector(r.itemId(), "c", r.split(), r.sha256(), r.vector().clone(), r.ink()));
        }
        ProjectSnapshot second = ProjectSnapshot.after(first, project, 2, relabelled);
        assertSame(first.index(), second.index(), "the vectors are not copied again");
        assertSame(graph, second.graph());
        assertSame(features, second.features());
        assertEquals("c", second.row(0).label());
        assertEquals(second.labels()[0], second.labels()[7], "relabelled rows share their new class");

        List<ItemVector> added = new ArrayList<>(relabelled);
        added.add(new ItemVector(new UUID(0, 999), "a", null, "new", unit(gaussian(random, 8, 1)), null));
        ProjectSnapshot third = ProjectSnapshot.after(second, project, 3, added);
        assertNotSame(second.index(), third.index());
        assertEquals(201, third.graph().length);
    }

    @Test
    void aRelabelledSnapshotTakesTheGraphOverAndANewVectorDoesNot() {
        SplittableRandom random = new SplittableRandom(11);
        List<ItemVector> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new ItemVector(new UUID(0, i), i % 2 == 0 ? "a" : "b", null, "h" + i, unit(gaussian(random, 8, 1)), null));
        }
        UUID project = UUID.randomUUID();
        ProjectSnapshot first = new ProjectSnapshot(project, 1, rows);
        Neighbors[] before = first.graph();

        // 40 items relabelled, and the rows in another order (the vector cache moves changed items to its end)
        List<ItemVector> relabelled = new ArrayList<>(rows.subList(40, rows.size()));
        for (ItemVector r : rows.subList(0, 40)) {
            relabelled.add(new ItemVector(r.itemId(), "c", r.split(), r.sha256(), r.vector().clone(), r.ink()));
        }
        ProjectSnapshot second = ProjectSnapshot.after(first, project, 2, relabelled);
        ProjectSnapshot recomputed = new ProjectSnapshot(project, 2, relabelled);
        Neighbors[] carried = second.graph();
        Neighbors[] exact = recomputed.graph();
        for (int i = 0; i < relabelled.size(); i++) {
            assertArrayEquals(exact[i].index(), carried[i].index(), "neighbours of row " + i);
        }
        for (int i = 0; i < before.length; i++) {
            int row = second.rowOf(rows.get(i).itemId());
            assertEquals(rows.get(before[i].index()[0]).itemId(), relabelled.get(carried[row].index()[0]).itemId(),
                    "the same nearest item, under its new row number");
        }

        // one vector changed: nothing is carried over (the graph is computed anew, and matches exact search)
        List<ItemVector> moved = new ArrayList<>(relabelled);
        ItemVector r0 = moved.getFirst();
        moved.set(0, new ItemVector(r0.itemId(), r0.label(), r0.split(), "other", unit(gaussian(random, 8, 1)), null));
        ProjectSnapshot third = ProjectSnapshot.after(second, project, 3, moved);
        Neighbors[] fresh = new ProjectSnapshot(project, 3, moved).graph();
        Neighbors[] got = third.graph();
        for (int i = 0; i < moved.size(); i++) {
            assertArrayEquals(fresh[i].index(), got[i].index(), "neighbours of row " + i + " after a vector changed");
        }
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
