package dev.loupe.events;

/** Where an evaluation (a training run) is: QUEUED, RUNNING (once per epoch), then COMPLETED or FAILED. */
public enum EvaluationStatus {
    QUEUED, RUNNING, COMPLETED, FAILED;

    /** Order of the states: an event of an earlier state than the one recorded is stale. */
    public boolean isBefore(EvaluationStatus other) {
        return Math.min(ordinal(), COMPLETED.ordinal()) < Math.min(other.ordinal(), COMPLETED.ordinal());
    }
}
