package dev.loupe.trainer.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import dev.loupe.events.EvaluationStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One training run of the reference model on a dataset version; its id is the evaluation id everyone shows. */
@Entity
@Table(name = "training_run")
public class TrainingRun extends PanacheEntityBase {

    /** Started by a published version, or asked for at the dataset service. */
    public static final String PUBLISHED = "PUBLISHED";
    public static final String REQUESTED = "REQUESTED";

    @Id
    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "project_id", nullable = false)
    public UUID projectId;

    @Column(name = "version_id", nullable = false)
    public UUID versionId;

    @Column(nullable = false)
    public String trigger;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public EvaluationStatus status;

    public int epochs;

    public long seed;

    public int folds;

    /** Trainings with seeds seed, seed + 1, ...; at least 1. */
    public int repeats = 1;

    /** The last epoch finished. */
    public int epoch;

    /** JSON: the metrics so far (final once COMPLETED). */
    public String metrics;

    /** JSON array: one entry per epoch (fold, epoch, loss, accuracies, seconds). */
    public String history;

    /** JSON: out-of-fold predictions, when asked for. */
    public String predictions;

    public String error;

    @Column(name = "requested_by")
    public String requestedBy;

    public int attempts;

    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "claimed_until")
    public Instant claimedUntil;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
