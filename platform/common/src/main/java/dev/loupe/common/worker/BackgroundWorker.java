package dev.loupe.common.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One background loop on its own platform thread: runs a round, then waits for a {@link #wake()} or the idle poll
 * interval, whichever comes first; after a failed round it waits an exponentially growing pause (capped, reset by
 * the next good round), so a database or broker that is away is not hammered.
 *
 * <p>Owned by a service bean (composition): the bean builds it with its round, starts it on {@code StartupEvent}
 * and stops it on {@code ShutdownEvent}. Wake-ups coalesce: any number of {@link #wake()} calls during a round
 * cause one more round, not one each. {@link #start()} is idempotent and never runs two threads; {@link #stop()}
 * wakes the thread, waits for the round in progress (at most the stop timeout) and reports whether it ended.
 *
 * <p>Metrics, tagged {@code worker=<name>}: {@code loupe.worker.rounds} (counter), {@code loupe.worker.failures}
 * (counter), {@code loupe.worker.round} (timer of the rounds' busy time), {@code loupe.worker.running} (gauge 1/0).
 */
public final class BackgroundWorker {

    private static final Logger LOG = Logger.getLogger(BackgroundWorker.class);

    /** One round of work; true when more work is waiting, so the next round starts at once. */
    @FunctionalInterface
    public interface Round {
        boolean run() throws Exception;
    }

    /** One round of work that says how long the worker may wait before the next: {@link Duration#ZERO} for at once. */
    @FunctionalInterface
    public interface TimedRound {
        Duration run() throws Exception;
    }

    private final String name;
    private final TimedRound round;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Duration stopTimeout;
    private final boolean interruptOnStop;
    private final Runnable onExit;
    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Counter rounds;
    private final Counter failures;
    private final Timer roundTimer;

    private volatile int failuresInARow;
    /** The thread of the current start; a new start gets a new one, so a late old thread never sees its flag. */
    private volatile Run run;

    private BackgroundWorker(Builder b) {
        this.name = b.name;
        this.round = Objects.requireNonNull(b.round, "round");
        this.backoff = b.backoff;
        this.maxBackoff = b.maxBackoff.compareTo(b.backoff) < 0 ? b.backoff : b.maxBackoff;
        this.stopTimeout = b.stopTimeout;
        this.interruptOnStop = b.interruptOnStop;
        this.onExit = b.onExit;
        MeterRegistry registry = b.registry;
        if (registry != null) {
            this.rounds = Counter.builder("loupe.worker.rounds").tag("worker", name)
                    .description("Rounds a background worker ran (good and failed)").register(registry);
            this.failures = Counter.builder("loupe.worker.failures").tag("worker", name)
                    .description("Rounds of a background worker that failed").register(registry);
            this.roundTimer = Timer.builder("loupe.worker.round").tag("worker", name)
                    .description("Busy time of a background worker's rounds").register(registry);
            Gauge.builder("loupe.worker.running", this, w -> w.isRunning() ? 1 : 0).tag("worker", name)
                    .description("1 while the background worker's thread runs").register(registry);
        } else {
            this.rounds = null;
            this.failures = null;
            this.roundTimer = null;
        }
    }

    /** A worker named {@code name} (thread {@code loupe-<name>}, metric tag) that runs {@code round}. */
    public static Builder builder(String name, Round round) {
        Objects.requireNonNull(round, "round");
        Builder b = new Builder(name);
        b.round = () -> round.run() ? Duration.ZERO : b.pollInterval;
        return b;
    }

    /** Like {@link #builder(String, Round)}, for a round that decides its own wait (a debounce, a next due time). */
    public static Builder timed(String name, TimedRound round) {
        Builder b = new Builder(name);
        b.round = round;
        return b;
    }

    /** Starts the thread; does nothing when it runs. Fails when a stopped thread has still not ended. */
    public synchronized void start() {
        Run current = run;
        if (current != null) {
            if (current.active) {
                return;
            }
            if (!join(current.thread, stopTimeout)) {
                throw new IllegalStateException("worker " + name + ": the previous thread has not stopped yet");
            }
        }
        wakeUp.drainPermits();
        Run next = new Run();
        run = next;
        next.thread = Thread.ofPlatform().name("loupe-" + name).daemon().unstarted(() -> loop(next));
        next.thread.start();
        LOG.debugf("Worker %s started", name);
    }

    /**
     * Stops the thread: it ends after the round in progress (interrupted if so built). Returns true when it has
     * ended within the stop timeout, false when it is still finishing a round (it starts no further one).
     */
    public synchronized boolean stop() {
        Run current = run;
        if (current == null) {
            return true;
        }
        if (current.active) {
            current.active = false;
            current.stopped.countDown();
            wakeUp.release();
            if (interruptOnStop) {
                current.thread.interrupt();
            }
        }
        boolean ended = join(current.thread, stopTimeout);
        if (ended) {
            LOG.debugf("Worker %s stopped", name);
        } else {
            LOG.warnf("Worker %s did not stop within %s; it ends after its current round", name, stopTimeout);
        }
        return ended;
    }

    /** True between start and stop. */
    public boolean isRunning() {
        Run current = run;
        return current != null && current.active;
    }

    /** Runs a round soon (after a commit that made work); wake-ups during a round coalesce into one more round. */
    public void wake() {
        wakeUp.release();
    }

    /** The last failed round's error, or null when the last round succeeded. */
    public String lastError() {
        return lastError.get();
    }

    /** Failed rounds since the last good one (the backoff grows with it). */
    public int failuresInARow() {
        return failuresInARow;
    }

    public String name() {
        return name;
    }

    /** The pause after {@code failures} failed rounds in a row: backoff, doubled each time, at most the cap. */
    Duration pauseAfter(int failures) {
        long millis = backoff.toMillis();
        for (int i = 1; i < failures && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    private void loop(Run self) {
        failuresInARow = 0;
        try {
            while (self.active) {
                Duration wait;
                long started = System.nanoTime();
                try {
                    wait = round.run();
                    lastError.set(null);
                    failuresInARow = 0;
                } catch (Exception e) {
                    if (!self.active) {
                        break;
                    }
                    Thread.interrupted(); // an interrupt that was not a stop does not end the worker
                    failuresInARow++;
                    lastError.set(e.toString());
                    count(failures);
                    Duration pause = pauseAfter(failuresInARow);
                    if (failuresInARow == 1) {
                        LOG.warnf(e, "Worker %s: round failed, retrying in %d ms", name, pause.toMillis());
                    } else {
                        LOG.warnf("Worker %s: round failed (%d in a row), retrying in %d ms: %s", name, failuresInARow,
                                pause.toMillis(), e);
                    }
                    wait = null;
                    await(self.stopped, pause);
                } finally {
                    count(rounds);
                    if (roundTimer != null) {
                        roundTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    }
                }
                if (wait != null && !wait.isZero() && !wait.isNegative() && self.active) {
                    idle(self, wait);
                }
            }
        } finally {
            self.active = false;
            if (onExit != null) {
                try {
                    onExit.run();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Worker %s: cleanup failed", name);
                }
            }
        }
    }

    private void idle(Run self, Duration wait) {
        try {
            wakeUp.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
            wakeUp.drainPermits();
        } catch (InterruptedException e) {
            if (self.active) {
                Thread.interrupted();
            }
        }
    }

    /** Waits the pause; only a stop cuts it short (wake-ups do not, or a failing round would run once per commit). */
    private static void await(CountDownLatch stopped, Duration pause) {
        try {
            stopped.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    private static void count(Counter counter) {
        if (counter != null) {
            counter.increment();
        }
    }

    private static boolean join(Thread thread, Duration timeout) {
        if (thread == Thread.currentThread()) {
            return false;
        }
        try {
            return thread.join(timeout.isZero() ? Duration.ofMillis(1) : timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !thread.isAlive();
        }
    }

    private static final class Run {
        volatile boolean active = true;
        final CountDownLatch stopped = new CountDownLatch(1);
        Thread thread;
    }

    /** Settings of a worker; the defaults suit a loop that polls a table. */
    public static final class Builder {
        private final String name;
        private TimedRound round;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration backoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration stopTimeout = Duration.ofSeconds(10);
        private boolean interruptOnStop;
        private Runnable onExit;
        private MeterRegistry registry;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a worker needs a name");
            }
            this.name = name;
        }

        /** How long a {@link Round} that found no more work waits for a wake-up before the next round. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive(pollInterval, "pollInterval");
            return this;
        }

        /** The pause after a failed round, doubled for each further failure in a row up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.backoff = positive(initial, "backoff");
            this.maxBackoff = positive(max, "max backoff");
            return this;
        }

        /** How long {@link #stop()} waits for the round in progress. */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout);
            return this;
        }

        /** Interrupts the round in progress on stop (for long rounds that give their work back when interrupted). */
        public Builder interruptOnStop() {
            this.interruptOnStop = true;
            return this;
        }

        /** Runs on the worker's thread when it ends (closing what the rounds opened). */
        public Builder onExit(Runnable onExit) {
            this.onExit = onExit;
            return this;
        }

        /** Where the worker's meters go; without one it has none. */
        public Builder metrics(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public BackgroundWorker build() {
            return new BackgroundWorker(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
