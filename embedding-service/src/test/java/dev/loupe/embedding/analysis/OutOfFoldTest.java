package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutOfFoldTest {

    @Test
    void aFoldTrainsOnEveryOtherRowUpToTheCap() {
        int n = 10_000;
        int[] labels = IntStream.range(0, n).map(i -> i % 3).toArray();
        int[] fold = OutOfFold.stratifiedFolds(labels, 3, 5, 1);
        List<Integer> rows = OutOfFold.trainingRows(fold, 2, labels, 3, new Random(1));
        assertEquals(IntStream.range(0, n).filter(i -> fold[i] != 2).boxed().toList(), rows);
    }

    @Test
    void aboveTheCapEachClassIsSampledInProportionAndASmallClassKeepsItsRows() {
        int n = 100_000;
        // class 0: 20 rows; classes 1 and 2 share the rest, 1:3
        int[] labels = IntStream.range(0, n).map(i -> i < 20 ? 0 : i % 4 == 0 ? 1 : 2).toArray();
        int[] fold = OutOfFold.stratifiedFolds(labels, 3, 5, 1);
        List<Integer> rows = OutOfFold.trainingRows(fold, 0, labels, 3, new Random(1));
        assertTrue(rows.size() <= OutOfFold.MAX_TRAIN_ROWS + 3 * OutOfFold.MIN_PER_CLASS, "rows " + rows.size());
        assertTrue(rows.size() >= OutOfFold.MAX_TRAIN_ROWS - 3, "rows " + rows.size());
        assertEquals(rows.size(), new HashSet<>(rows).size(), "no row twice");
        assertTrue(rows.stream().noneMatch(i -> fold[i] == 0), "no row of the fold it scores");
        long small = rows.stream().filter(i -> labels[i] == 0).count();
        assertEquals(IntStream.range(0, 20).filter(i -> fold[i] != 0).count(), small, "a small class keeps every row");
        long ones = rows.stream().filter(i -> labels[i] == 1).count();
        long twos = rows.stream().filter(i -> labels[i] == 2).count();
        assertEquals(3.0, twos / (double) ones, 0.01, "in proportion");
        // seeded: the same sample again
        assertEquals(rows, OutOfFold.trainingRows(fold, 0, labels, 3, new Random(1)));
    }
}
