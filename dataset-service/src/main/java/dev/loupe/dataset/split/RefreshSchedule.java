package dev.loupe.dataset.split;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a project with pending changes is refreshed. Leading edge: a change to a project that has not been refreshed
 * for a while is refreshed at once (one label change is in the split in one consumer hop). Inside a burst the
 * trailing debounce applies (quiet for {@code debounce}, or waiting {@code maxDelay} at the latest), and refreshes
 * of a project are at least five times their own duration apart, so a big project is not recomputed back to back.
 */
final class RefreshSchedule {

    private final Duration debounce;
    private final Duration maxDelay;
    private final Map<UUID, Long> lastRefreshAt = new ConcurrentHashMap<>();
    private final Map<UUID, Long> refreshMillis = new ConcurrentHashMap<>();

    RefreshSchedule(Duration debounce, Duration maxDelay) {
        this.debounce = debounce;
        this.maxDelay = maxDelay;
    }

    /** Milliseconds until the project is due, 0 when it is due now. */
    long dueIn(SplitStore.Pending project, Instant now) {
        if (project.lastChangeAt() == null) {
            return 0;
        }
        long nowMillis = now.toEpochMilli();
        Instant first = project.firstChangeAt() == null ? now : project.firstChangeAt();
        long quietFor = nowMillis - project.lastChangeAt().toEpochMilli();
        long waitingFor = nowMillis - first.toEpochMilli();
        Long lastRefresh = lastRefreshAt.get(project.projectId());
        long sinceRefresh = lastRefresh == null ? Long.MAX_VALUE : nowMillis - lastRefresh;
        long spacing = Math.max(debounce.toMillis(), 5 * refreshMillis.getOrDefault(project.projectId(), 0L));
        if (quietFor >= debounce.toMillis() || waitingFor >= maxDelay.toMillis() || sinceRefresh >= spacing) {
            return 0;
        }
        return Math.min(debounce.toMillis() - quietFor, spacing - sinceRefresh);
    }

    /** A refresh of the project ended at {@code at} and took {@code millis}. */
    void refreshed(UUID project, Instant at, long millis) {
        lastRefreshAt.put(project, at.toEpochMilli());
        refreshMillis.put(project, millis);
    }
}
