package dev.loupe.dataset.split;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RefreshScheduleTest {

    private static final UUID PROJECT = UUID.randomUUID();
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private final RefreshSchedule schedule = new RefreshSchedule(Duration.ofMillis(500), Duration.ofSeconds(5));

    private static SplitStore.Pending changedAgo(long lastMillis, long firstMillis) {
        return new SplitStore.Pending(PROJECT, NOW.minusMillis(lastMillis), NOW.minusMillis(firstMillis), false);
    }

    @Test
    void aChangeToAProjectNotRefreshedLatelyIsDueAtOnce() {
        assertEquals(0, schedule.dueIn(changedAgo(0, 0), NOW));
        schedule.refreshed(PROJECT, NOW.minusSeconds(10), 20);
        assertEquals(0, schedule.dueIn(changedAgo(0, 0), NOW), "the leading edge: the last refresh is long ago");
    }

    @Test
    void insideABurstTheTrailingDebounceApplies() {
        schedule.refreshed(PROJECT, NOW.minusMillis(100), 20);
        assertEquals(300, schedule.dueIn(changedAgo(200, 300), NOW), "due once quiet for 500 ms");
        assertEquals(0, schedule.dueIn(changedAgo(500, 600), NOW), "quiet for the debounce");
    }

    @Test
    void aChangeWaitsAtMostTheMaxDelayWhileChangesKeepComing() {
        schedule.refreshed(PROJECT, NOW.minusMillis(100), 20);
        assertEquals(0, schedule.dueIn(changedAgo(10, 5_000), NOW));
    }

    @Test
    void theLeadingEdgeOfASlowProjectNeedsFiveTimesItsRefreshDuration() {
        schedule.refreshed(PROJECT, NOW.minusMillis(1_000), 20);
        assertEquals(0, schedule.dueIn(changedAgo(0, 0), NOW), "a fast project: 1 s after its refresh is a new edge");
        schedule.refreshed(PROJECT, NOW.minusMillis(1_000), 400);
        assertEquals(500, schedule.dueIn(changedAgo(0, 0), NOW), "a 400 ms refresh: the edge comes 2 s after it");
        Instant later = NOW.plusMillis(1_000);
        assertEquals(0, schedule.dueIn(new SplitStore.Pending(PROJECT, later, later, false), later), "2 s after it");
    }

    @Test
    void aProjectWithoutAChangeTimeIsDue() {
        schedule.refreshed(PROJECT, NOW, 10);
        assertEquals(0, schedule.dueIn(new SplitStore.Pending(PROJECT, null, null, true), NOW));
    }
}
