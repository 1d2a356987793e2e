package dev.loupe.embedding.analysis;

import dev.loupe.embedding.service.ProjectFindings;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Findings read with allowStale: the last computed ones at once while those of the newer snapshot are computed in the
 * background, saying which snapshot they are of; then the newer ones. Snapshots made here directly (no items behind
 * them in the database), so each step is known.
 */
@QuarkusTest
class FindingsAsOfTest {

    @Inject
    ProjectFindings findings;

    @Test
    void theLastComputedFindingsComeAtOnceWhileTheNewerOnesAreComputedInTheBackground() throws Exception {
        UUID project = UUID.randomUUID();
        List<ItemVector> rows = rows(0);
        ProjectSnapshot first = new ProjectSnapshot(project, 1, rows);

        // nothing computed before: the first read computes them, and they are current
        ProjectFindings.Latest a = findings.latest(first, () -> first);
        assertTrue(a.current());
        assertSame(first, a.basis());
        assertNotNull(a.report());

        // a relabel makes a newer snapshot: the read gets the first one's findings at once, marked not current, and
        // the newer ones are computed in the background
        List<ItemVector> relabelled = new ArrayList<>(rows);
        ItemVector moved = relabelled.getFirst();
        relabelled.set(0, new ItemVector(moved.itemId(), "c", moved.split(), moved.sha256(), moved.vector(), null));
        ProjectSnapshot second = ProjectSnapshot.after(first, project, 2, relabelled);
        ProjectFindings.Latest b = findings.latest(second, () -> second);
        assertFalse(b.current());
        assertSame(first, b.basis(), "the findings of the snapshot they were computed on");
        assertSame(a.report(), b.report());

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        ProjectFindings.Latest c = findings.latest(second, () -> second);
        while (!c.current() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            c = findings.latest(second, () -> second);
        }
        assertTrue(c.current(), "the newer findings were computed in the background");
        assertSame(second, c.basis());
        assertFalse(c.refreshing());
        // the relabelled item, now in the wrong class among its neighbours, is a label issue of the newer findings
        assertTrue(c.report().labelIssues().stream().anyMatch(i -> i.itemId().equals(moved.itemId())), c.report().toString());
        assertEquals(0, a.report().labelIssues().stream().filter(i -> i.itemId().equals(moved.itemId())).count());
    }

    /** Three well-separated classes of 30 points, half of each on each side. */
    private static List<ItemVector> rows(int seed) {
        float[][] vectors = MapProjectorTest.clusters(3, 30, 16, 0.2, 5 + seed);
        List<ItemVector> rows = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            rows.add(new ItemVector(new UUID(1, i), String.valueOf((char) ('a' + i / 30)), i % 2 == 0 ? "train" : "val",
                    "h" + i, vectors[i], null));
        }
        return rows;
    }
}
