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
 * @param folds  null or 0: no out-of-fold predictions; k &gt;= 2: also train k models on k-1 folds each and hand every
 *               item's held-out class probabilities to the embedding service's label-issue finder
 * @param repeats null or 1: one training; n &gt; 1: n trainings with seeds seed, seed + 1, ..., seed + n - 1, each
 *                scored on its own (per-seed results, so two versions can be compared seed by seed)
 */
public record EvaluationRequested(UUID projectId, UUID versionId, UUID evaluationId, Integer epochs, Long seed,
                                  Integer folds, Integer repeats, String by, Instant at) implements LoupeEvent {

    /** A request for one training (the event as it was before {@code repeats}). */
    public EvaluationRequested(UUID projectId, UUID versionId, UUID evaluationId, Integer epochs, Long seed,
                               Integer folds, String by, Instant at) {
        this(projectId, versionId, evaluationId, epochs, seed, folds, null, by, at);
    }

    /** Keyed by project, like the version it is about. */
    @Override
    public UUID subject() {
        return projectId;
    }
}
