package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a snapshot derives: once per key, a slow key holding up no other, a failure not kept. */
class ProjectSnapshotDerivedTest {

    private static final ProjectSnapshot.Key<String> SLOW = new ProjectSnapshot.Key<>("slow");
    private static final ProjectSnapshot.Key<String> QUICK = new ProjectSnapshot.Key<>("quick");

    private final ProjectSnapshot snapshot = new ProjectSnapshot(UUID.randomUUID(), 1,
            List.of(new ItemVector(UUID.randomUUID(), "i", "train", "h", new float[] {1, 0}, null)));

    @Test
    void aSlowComputationHoldsUpNoOtherKeyAndItsOwnReadersWaitForIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> snapshot.derived(SLOW, s -> {
            runs.incrementAndGet();
            started.countDown();
            await(release);
            return "slow";
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> snapshot.derived(SLOW, s -> {
            runs.incrementAndGet();
            return "again";
        }));

        // another key is computed and read while the slow one runs; the slow one is not there yet, and asking
        // whether it is never waits
        assertEquals("quick", snapshot.derived(QUICK, s -> "quick"));
        assertNull(snapshot.computed(SLOW));
        assertEquals("quick", snapshot.computed(QUICK));
        assertFalse(second.isDone(), "a second reader of the slow key waits for the first computation");

        release.countDown();
        assertEquals("slow", first.get(10, TimeUnit.SECONDS));
        assertEquals("slow", second.get(10, TimeUnit.SECONDS));
        assertEquals(1, runs.get(), "computed once");
        assertEquals("slow", snapshot.computed(SLOW));
    }

    @Test
    void aFailedComputationIsNotKept() {
        assertThrows(IllegalStateException.class, () -> snapshot.derived(SLOW, s -> {
            throw new IllegalStateException("the database went away");
        }));
        assertNull(snapshot.computed(SLOW));
        assertEquals("second try", snapshot.derived(SLOW, s -> "second try"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
