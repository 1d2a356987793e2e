package dev.loupe.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The state of one evaluation of the reference model on a dataset version: QUEUED, RUNNING (once per epoch, with
 * the epoch and the metrics so far), then COMPLETED with the final metrics or FAILED with the reason.
 *
 * @param metrics valAccuracy, testAccuracy, perClass, confusion, classes, bestEpoch, seconds, skippedImages (what is
 *                known at this state; empty while queued)
 */
public record ModelEvaluated(UUID projectId, UUID versionId, UUID evaluationId, EvaluationStatus status, int epoch, int epochs,
                             Map<String, Object> metrics, String error, Instant startedAt, Instant finishedAt, Instant at)
        implements LoupeEvent {

    /** Keyed by evaluation: its states stay in order. */
    @Override
    public UUID subject() {
        return evaluationId;
    }
}
