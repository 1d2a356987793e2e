package dev.loupe.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Someone at the dataset service no longer wants an evaluation it requested (today: a cancelled curation run's
 * evaluation in flight); the trainer cancels it as {@code POST /api/evaluations/{id}/cancel} would, if it is still
 * queued or running, and reports it CANCELLED with {@link ModelEvaluated}. One that has ended, or that the trainer never
 * heard of, is left as it is. Keyed by project like the {@link EvaluationRequested} it follows, so it never overtakes it.
 *
 * @param reason why, in words (the run and who cancelled it); stored with the cancelled evaluation
 */
public record EvaluationCancelRequested(UUID projectId, UUID versionId, UUID evaluationId, String by, String reason,
                                        Instant at) implements LoupeEvent {

    @Override
    public UUID subject() {
        return projectId;
    }
}
