package dev.loupe.events;

/**
 * Where an evaluation (a training run) is: QUEUED, RUNNING (once per epoch), then COMPLETED, FAILED or CANCELLED (asked
 * to stop while queued or running; never retried).
 */
public enum EvaluationStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    /** Order of the states: an event of an earlier state than the one recorded is stale. The three ends rank alike. */
    public boolean isBefore(EvaluationStatus other) {
        return Math.min(ordinal(), COMPLETED.ordinal()) < Math.min(other.ordinal(), COMPLETED.ordinal());
    }
}
