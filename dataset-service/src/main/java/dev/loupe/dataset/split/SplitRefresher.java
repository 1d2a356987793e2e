package dev.loupe.dataset.split;

import dev.loupe.common.worker.BackgroundWorker;
import dev.loupe.dataset.config.DatasetConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every project's split current. Changes mark a project (see {@link ItemStateService}); this worker refreshes
 * a marked project when {@link RefreshSchedule} says it is due: a single change goes straight through, a burst (a
 * bulk relabel, an import) costs a few refreshes, not one per change. Projects whose styles are stale get them read
 * by {@link StyleSync}; the refresh itself is {@link SplitUpdater}'s.
 */
@ApplicationScoped
public class SplitRefresher {

    /** Longest and shortest wait between two looks at the pending projects. */
    private static final long MAX_WAIT_MILLIS = 1000;
    private static final long MIN_WAIT_MILLIS = 5;

    private final SplitStore store;
    private final SplitStates states;
    private final SplitUpdater updater;
    private final StyleSync styles;
    private final SplitWatch watch;
    private final RefreshSchedule schedule;
    private final Timer refreshTimer;
    private final BackgroundWorker worker;

    public SplitRefresher(SplitStore store, SplitStates states, SplitUpdater updater, StyleSync styles, SplitWatch watch,
                          DatasetConfig config, MeterRegistry registry) {
        this.store = store;
        this.states = states;
        this.updater = updater;
        this.styles = styles;
        this.watch = watch;
        this.schedule = new RefreshSchedule(config.refreshDebounce(), config.refreshMaxDelay());
        this.refreshTimer = Timer.builder("loupe.dataset.split.refresh")
                .description("Time to recompute and store one project's split (reading items, planning, writing, events)")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        this.worker = BackgroundWorker.timed("split-refresher", this::refreshDue)
                .pollInterval(Duration.ofMillis(MAX_WAIT_MILLIS))
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                .interruptOnStop()
                .stopTimeout(Duration.ofSeconds(5))
                .metrics(registry)
                .build();
    }

    void onStart(@Observes StartupEvent event) {
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.stop();
    }

    /** A change committed: look for due projects now. */
    public void wake() {
        worker.wake();
    }

    /** Refreshes every due project and starts style reads; returns how long until the next may be due. */
    Duration refreshDue() {
        Instant now = Instant.now();
        List<SplitStore.Pending> pending = QuarkusTransaction.requiringNew().call(store::pending);
        long nextDue = MAX_WAIT_MILLIS;
        for (SplitStore.Pending project : pending) {
            long dueIn = schedule.dueIn(project, now);
            if (project.stylesStale()) {
                styles.readLater(project.projectId(), this::wake);
            }
            if (dueIn == 0) {
                refresh(project.projectId());
            } else {
                nextDue = Math.min(nextDue, dueIn);
            }
        }
        return Duration.ofMillis(Math.max(MIN_WAIT_MILLIS, nextDue));
    }

    /** Refreshes one project's split in its own transaction, then wakes waiting requests. */
    public void refresh(UUID project) {
        boolean done = QuarkusTransaction.requiringNew().call(() -> {
            SplitState state = states.lockOrCreate(project, Instant.now());
            if (state.changes == state.changesRefreshed && state.configApplied == state.configVersion) {
                return false;
            }
            refreshLocked(state);
            return true;
        });
        if (done) {
            watch.refreshed();
        }
    }

    /** Recomputes the split of a project whose state the caller holds locked; publishes SplitRefreshed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refreshLocked(SplitState state) {
        long started = System.nanoTime();
        updater.update(state);
        long nanos = System.nanoTime() - started;
        schedule.refreshed(state.projectId, Instant.now(), TimeUnit.NANOSECONDS.toMillis(nanos));
        refreshTimer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
