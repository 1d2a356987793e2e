package dev.loupe.label;

import dev.loupe.common.inbox.ProcessedEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared consumer-side dedupe, against the real database. */
@QuarkusTest
class ProcessedEventsTest {

    @Inject
    ProcessedEvents processed;

    @Test
    void anEventIsProcessedOncePerConsumer() {
        UUID event = UUID.randomUUID();
        assertTrue(QuarkusTransaction.requiringNew().call(() -> processed.markProcessed("embedding", event)));
        assertFalse(QuarkusTransaction.requiringNew().call(() -> processed.markProcessed("embedding", event)));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> processed.markProcessed("dataset", event)));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> processed.isProcessed("embedding", event)));
    }

    @Test
    void aBatchIsRecordedInOneGoAndAnswersOnlyTheUnseenOnes() {
        UUID seen = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        UUID twice = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> processed.markProcessed("batch", seen));
        // a redelivery (seen), a new event, and one delivered twice within the batch
        java.util.Set<UUID> unseen = QuarkusTransaction.requiringNew().call(() ->
                processed.markAllProcessed("batch", List.of(seen, fresh, twice, twice)));
        assertEquals(java.util.Set.of(fresh, twice), unseen);
        assertEquals(java.util.Set.of(), QuarkusTransaction.requiringNew().call(() ->
                processed.markAllProcessed("batch", List.of(seen, fresh, twice))));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> processed.markAllProcessed("another", List.of()).isEmpty()));
    }

    @Test
    void aRolledBackEffectLeavesTheEventUnprocessed() {
        UUID event = UUID.randomUUID();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                processed.markProcessed("embedding", event);
                throw new IllegalStateException("the effect failed");
            });
        } catch (IllegalStateException expected) {
            // the redelivery must be able to apply it
        }
        assertTrue(QuarkusTransaction.requiringNew().call(() -> processed.markProcessed("embedding", event)));
    }

    @Test
    void twoConcurrentDeliveriesApplyOnce() throws Exception {
        UUID event = UUID.randomUUID();
        CountDownLatch bothInside = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> results = pool.invokeAll(List.of(
                    () -> deliver(event, bothInside), () -> deliver(event, bothInside)));
            int applied = 0;
            for (Future<Boolean> result : results) {
                applied += result.get() ? 1 : 0;
            }
            assertEquals(1, applied);
        } finally {
            pool.shutdownNow();
        }
    }

    private Boolean deliver(UUID event, CountDownLatch bothInside) {
        return QuarkusTransaction.requiringNew().call(() -> {
            bothInside.countDown();
            bothInside.await(5, TimeUnit.SECONDS);
            boolean first = processed.markProcessed("concurrent", event);
            Thread.sleep(200); // hold the transaction open so the other delivery has to wait for it
            return first;
        });
    }
}
