package dev.loupe.dataset.webhook;

import java.time.Duration;
import java.util.Optional;

/**
 * When a failed delivery is tried again: {@code initial}, then twice as long after each further failure, at most
 * {@code max} between two attempts, until {@code maxAttempts} attempts were made.
 */
public record RetrySchedule(int maxAttempts, Duration initial, Duration max) {

    public RetrySchedule {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max backoff, got " + initial + " and " + max);
        }
    }

    /** The wait before the next attempt after {@code attemptsMade} failed ones, or empty when they are used up. */
    public Optional<Duration> delayAfter(int attemptsMade) {
        if (attemptsMade >= maxAttempts) {
            return Optional.empty();
        }
        int doublings = Math.max(0, attemptsMade - 1);
        // shifting stops before overflow: from 2^31 on any realistic initial is past max anyway
        Duration delay = doublings >= 31 ? max : initial.multipliedBy(1L << doublings);
        return Optional.of(delay.compareTo(max) > 0 ? max : delay);
    }
}
