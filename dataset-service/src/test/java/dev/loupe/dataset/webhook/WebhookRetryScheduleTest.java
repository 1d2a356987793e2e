package dev.loupe.dataset.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WebhookRetryScheduleTest {

    @Test
    void backoffDoublesUpToTheCapUntilAttemptsAreUsedUp() {
        RetrySchedule schedule = new RetrySchedule(8, Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertEquals(Optional.of(Duration.ofSeconds(1)), schedule.delayAfter(1));
        assertEquals(Optional.of(Duration.ofSeconds(2)), schedule.delayAfter(2));
        assertEquals(Optional.of(Duration.ofSeconds(4)), schedule.delayAfter(3));
        assertEquals(Optional.of(Duration.ofSeconds(8)), schedule.delayAfter(4));
        assertEquals(Optional.of(Duration.ofSeconds(10)), schedule.delayAfter(5));
        assertEquals(Optional.of(Duration.ofSeconds(10)), schedule.delayAfter(7));
        assertEquals(Optional.empty(), schedule.delayAfter(8));
        assertEquals(Optional.empty(), schedule.delayAfter(9));
    }

    @Test
    void manyAttemptsNeverOverflow() {
        RetrySchedule schedule = new RetrySchedule(1000, Duration.ofMinutes(10), Duration.ofHours(1));
        assertEquals(Optional.of(Duration.ofHours(1)), schedule.delayAfter(64));
        assertEquals(Optional.of(Duration.ofHours(1)), schedule.delayAfter(999));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(0, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
