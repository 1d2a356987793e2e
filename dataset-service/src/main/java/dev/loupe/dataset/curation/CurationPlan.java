package dev.loupe.dataset.curation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A stored curation plan and what applying it did. */
@Entity
@Table(name = "curation_plan")
public class CurationPlan extends PanacheEntityBase {

    /** PROPOSED until applied; APPLYING while its actions run in the background; then APPLIED or FAILED. */
    public enum Status { PROPOSED, APPLYING, APPLIED, FAILED }

    @Id
    @Column(name = "plan_id")
    public UUID planId;

    @Column(name = "project_id")
    public UUID projectId;

    public int number;

    @Column(name = "based_on_version")
    public UUID basedOnVersion;

    @Column(name = "based_on_eval")
    public UUID basedOnEvaluation;

    public int budget;

    @Column(name = "min_confidence")
    public double minConfidence;

    @Column(name = "items_now")
    public int itemsNow;

    @Column(name = "items_after")
    public int itemsAfter;

    /** JSON object. */
    public String inputs;

    /** JSON array of {@link CurationAction}. */
    public String actions;

    @Enumerated(EnumType.STRING)
    public Status status;

    /** JSON of {@link CurationService.ApplyRequest}. */
    @Column(name = "apply_request")
    public String applyRequest;

    /** JSON array of {@link CurationService.Outcome}. */
    public String progress;

    public String error;

    @Column(name = "version_id")
    public UUID versionId;

    @Column(name = "evaluation_id")
    public UUID evaluationId;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "applied_by")
    public String appliedBy;

    /** The replica applying the plan ({@link PlanLeases}); null unless APPLYING. */
    @Column(name = "lease_owner")
    public String leaseOwner;

    /** Until when that replica holds it. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
