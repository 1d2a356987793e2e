package dev.loupe.dataset.curation.run;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored automatic curation run: its settings, the step it is at and every round's result. */
@Entity
@Table(name = "curation_run")
public class CurationRun extends PanacheEntityBase {

    /** QUEUED until the worker takes it up, RUNNING, then COMPLETED, FAILED or CANCELLED. */
    public enum Status {
        QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

        public boolean active() {
            return this == QUEUED || this == RUNNING;
        }
    }

    /** Where an active run is: about to propose and apply a plan, awaiting the plan, awaiting its evaluation. */
    public enum Step { PLAN, APPLYING, EVALUATING }

    static final List<Status> ACTIVE = List.of(Status.QUEUED, Status.RUNNING);

    @Id
    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "project_id")
    public UUID projectId;

    @Enumerated(EnumType.STRING)
    public Status status;

    public int budget;

    public int rounds;

    public Integer epochs;

    public Integer repeats;

    public Long seed;

    @Column(name = "min_confidence")
    public double minConfidence;

    @Enumerated(EnumType.STRING)
    public Step step;

    /** JSON array of {@link CurationRunService.Round}. */
    @Column(name = "round_results")
    public String roundResults;

    @Column(name = "best_version_id")
    public UUID bestVersionId;

    @Column(name = "best_val_mean")
    public Double bestValMean;

    public String error;

    /** The version the run froze the project's validation side at before its first plan; null: it did not. */
    @Column(name = "froze_val_version")
    public UUID frozeValVersion;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
