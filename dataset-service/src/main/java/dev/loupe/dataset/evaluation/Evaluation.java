package dev.loupe.dataset.evaluation;

import dev.loupe.events.EvaluationStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One evaluation of the reference model on a version, as last reported by the trainer. */
@Entity
@Table(name = "evaluation")
public class Evaluation extends PanacheEntityBase {

    @Id
    @Column(name = "evaluation_id")
    public UUID evaluationId;

    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "version_id")
    public UUID versionId;

    @Enumerated(EnumType.STRING)
    public EvaluationStatus status;

    public int epoch;

    public int epochs;

    /** JSON object. */
    public String metrics;

    public String error;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
