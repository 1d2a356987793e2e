package dev.loupe.common.worker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundWorkerTest {

    /** Long enough that a round after the first can only come from a wake-up. */
    private static final Duration NEVER = Duration.ofHours(1);
    private static final long PATIENCE_SECONDS = 10;

    private final List<BackgroundWorker> workers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        workers.forEach(BackgroundWorker::stop);
    }

    private BackgroundWorker started(BackgroundWorker.Builder builder) {
        BackgroundWorker worker = builder.build();
        workers.add(worker);
        worker.start();
        return worker;
    }

    @Test
    void wakeRunsARoundPromptly() throws Exception {
        Semaphore rounds = new Semaphore(0);
        BackgroundWorker worker = started(BackgroundWorker.builder("wake-test", () -> {
            rounds.release();
            return false;
        }).pollInterval(NEVER));
        assertTrue(rounds.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS), "the first round runs at start");
        worker.wake();
        assertTrue(rounds.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS), "a wake-up runs a round before the poll interval");
    }

    @Test
    void manyWakesDuringARoundCoalesceIntoOneMoreRound() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch inFirstRound = new CountDownLatch(1);
        CountDownLatch releaseFirstRound = new CountDownLatch(1);
        Semaphore roundEnded = new Semaphore(0);
        BackgroundWorker worker = started(BackgroundWorker.builder("coalesce-test", () -> {
            if (rounds.incrementAndGet() == 1) {
                inFirstRound.countDown();
                releaseFirstRound.await();
            }
            roundEnded.release();
            return false;
        }).pollInterval(NEVER));
        assertTrue(inFirstRound.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++) {
            worker.wake();
        }
        releaseFirstRound.countDown();
        assertTrue(roundEnded.tryAcquire(2, PATIENCE_SECONDS, TimeUnit.SECONDS), "the wake-ups cause a second round");
        Thread.sleep(300);
        assertEquals(2, rounds.get(), "a hundred wake-ups during one round make one more round, not a hundred");
    }

    @Test
    void aRoundWithMoreWorkIsFollowedAtOnceWithoutAWakeUp() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch fiveRounds = new CountDownLatch(5);
        started(BackgroundWorker.builder("more-work-test", () -> {
            fiveRounds.countDown();
            return rounds.incrementAndGet() < 5;
        }).pollInterval(NEVER));
        assertTrue(fiveRounds.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
        Thread.sleep(200);
        assertEquals(5, rounds.get(), "after the round that found no more work, the worker waits");
    }

    @Test
    void aTimedRoundChoosesItsOwnWait() throws Exception {
        Semaphore rounds = new Semaphore(0);
        started(BackgroundWorker.timed("timed-test", () -> {
            rounds.release();
            return Duration.ofMillis(10);
        }).pollInterval(NEVER));
        assertTrue(rounds.tryAcquire(3, PATIENCE_SECONDS, TimeUnit.SECONDS), "rounds come every 10 ms, not every hour");
    }

    @Test
    void theBackoffDoublesUpToItsCap() {
        BackgroundWorker worker = BackgroundWorker.builder("pause-test", () -> false)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(300)).build();
        assertEquals(List.of(50L, 100L, 200L, 300L, 300L, 300L), List.of(1, 2, 3, 4, 5, 40).stream()
                .map(n -> worker.pauseAfter(n).toMillis()).toList());
    }

    @Test
    void aFailingRoundBacksOffAndWakeUpsDoNotCutThePauseShort() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        BackgroundWorker worker = started(BackgroundWorker.builder("backoff-test", () -> {
            rounds.incrementAndGet();
            throw new IllegalStateException("database away");
        }).pollInterval(Duration.ofMillis(1)).backoff(Duration.ofMillis(200), Duration.ofMillis(400)));
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        while (System.nanoTime() < end) {
            worker.wake();
            Thread.sleep(1);
        }
        // pauses of 200, 400, 400, ... ms: about 3 rounds in a second; without the backoff, hundreds
        assertTrue(rounds.get() >= 2 && rounds.get() <= 8, "rounds in one second: " + rounds.get());
        assertTrue(worker.lastError().contains("database away"), worker.lastError());
        assertTrue(worker.failuresInARow() >= 2);
    }

    @Test
    void aFailingRoundRecoversAndTheNextGoodRoundClearsTheError() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch recovered = new CountDownLatch(1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BackgroundWorker worker = started(BackgroundWorker.builder("recover-test", () -> {
            if (rounds.incrementAndGet() <= 3) {
                throw new IllegalStateException("broker away");
            }
            recovered.countDown();
            return false;
        }).pollInterval(NEVER).backoff(Duration.ofMillis(10), Duration.ofMillis(40)).metrics(registry));
        assertTrue(recovered.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
        Thread.sleep(100);
        assertEquals(4, rounds.get());
        assertNull(worker.lastError());
        assertEquals(0, worker.failuresInARow());
        assertEquals(3.0, registry.get("loupe.worker.failures").tag("worker", "recover-test").counter().count());
        assertEquals(4.0, registry.get("loupe.worker.rounds").tag("worker", "recover-test").counter().count());
        assertEquals(4, registry.get("loupe.worker.round").tag("worker", "recover-test").timer().count());
    }

    @Test
    void metricsCountRoundsFailuresAndShowWhetherItRuns() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger rounds = new AtomicInteger();
        Semaphore roundEnded = new Semaphore(0);
        BackgroundWorker worker = started(BackgroundWorker.builder("metrics-test", () -> {
            try {
                if (rounds.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("every second round fails");
                }
                return false;
            } finally {
                roundEnded.release();
            }
        }).pollInterval(NEVER).backoff(Duration.ofMillis(1), Duration.ofMillis(1)).metrics(registry));
        assertTrue(roundEnded.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS));
        worker.wake();
        // round 2 fails, so round 3 follows after the pause without a wake-up; round 3 succeeds: the worker waits
        assertTrue(roundEnded.tryAcquire(2, PATIENCE_SECONDS, TimeUnit.SECONDS));
        Thread.sleep(100);
        assertEquals(1.0, registry.get("loupe.worker.running").tag("worker", "metrics-test").gauge().value());
        assertTrue(worker.stop());
        assertEquals(3.0, registry.get("loupe.worker.rounds").tag("worker", "metrics-test").counter().count());
        assertEquals(1.0, registry.get("loupe.worker.failures").tag("worker", "metrics-test").counter().count());
        assertEquals(0.0, registry.get("loupe.worker.running").tag("worker", "metrics-test").gauge().value());
    }

    @Test
    void stopReturnsAndTheThreadIsGone() throws Exception {
        Semaphore rounds = new Semaphore(0);
        BackgroundWorker worker = started(BackgroundWorker.builder("stop-test", () -> {
            rounds.release();
            return false;
        }).pollInterval(NEVER).stopTimeout(Duration.ofSeconds(5)));
        assertTrue(rounds.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, threads("loupe-stop-test"));
        long started = System.nanoTime();
        assertTrue(worker.stop(), "an idle worker ends at once");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
        assertFalse(worker.isRunning());
        assertEquals(0, threads("loupe-stop-test"));
        assertTrue(worker.stop(), "stopping twice is harmless");
    }

    @Test
    void stopWaitsAtMostItsTimeoutForABusyRoundAndStartNeverRunsTwoThreads() throws Exception {
        CountDownLatch inRound = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger rounds = new AtomicInteger();
        BackgroundWorker worker = started(BackgroundWorker.builder("busy-test", () -> {
            rounds.incrementAndGet();
            inRound.countDown();
            while (!release.await(1, TimeUnit.SECONDS)) {
                // a round that does not give up when interrupted
            }
            return false;
        }).pollInterval(NEVER).stopTimeout(Duration.ofMillis(200)));
        assertTrue(inRound.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
        worker.start();
        assertEquals(1, threads("loupe-busy-test"), "start while running is idempotent");
        long started = System.nanoTime();
        assertFalse(worker.stop(), "the round is still busy");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "stop returns after its timeout");
        assertThrows(IllegalStateException.class, worker::start, "no second thread while the first still runs");
        release.countDown();
        assertTrue(worker.stop(), "the thread ends after its round");
        assertEquals(1, rounds.get(), "a stopped worker starts no further round");
        worker.start();
        assertTrue(worker.isRunning());
        assertEquals(1, threads("loupe-busy-test"));
    }

    @Test
    void interruptOnStopCutsALongRoundShort() throws Exception {
        CountDownLatch inRound = new CountDownLatch(1);
        AtomicInteger exits = new AtomicInteger();
        BackgroundWorker worker = started(BackgroundWorker.builder("interrupt-test", () -> {
            inRound.countDown();
            Thread.sleep(NEVER);
            return false;
        }).interruptOnStop().stopTimeout(Duration.ofSeconds(5)).onExit(exits::incrementAndGet));
        assertTrue(inRound.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
        assertTrue(worker.stop());
        assertEquals(0, threads("loupe-interrupt-test"));
        assertEquals(1, exits.get(), "the exit hook ran once on the worker's thread");
    }

    private static long threads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).count();
    }
}
