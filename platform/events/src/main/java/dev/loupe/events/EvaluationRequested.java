package dev.loupe.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Someone asked for the reference model to be trained and evaluated on a dataset version (the dataset service's
 * {@code POST /api/versions/{v}/evaluations}); the trainer takes it up. Versions are also evaluated without asking,
 * when {@link DatasetVersionPublished} arrives.
 *
 * @param epochs null for the trainer's configured number
 * @param seed   null for the trainer's configured seed
 */
public record EvaluationRequested(UUID projectId, UUID versionId, UUID evaluationId, Integer epochs, Long seed, String by,
                                  Instant at) implements LoupeEvent {

    /** Keyed by project, like the version it is about. */
    @Override
    public UUID subject() {
        return projectId;
    }
}
