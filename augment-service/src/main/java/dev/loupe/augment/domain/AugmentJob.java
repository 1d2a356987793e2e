package dev.loupe.augment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An augmentation or recipe job; its images are {@link AugmentUnit}s planned when the job is accepted. */
@Entity
@Table(name = "augment_job")
public class AugmentJob extends PanacheEntityBase {

    public static final String AUGMENT = "augment";
    public static final String RECIPE = "recipe";

    @Id
    @Column(name = "job_id")
    public UUID jobId;

    @Column(name = "project_id")
    public UUID projectId;

    public String kind;

    /** The accepted request, normalised (defaults filled in), as JSON. */
    public String request;

    @Column(name = "request_hash")
    public String requestHash;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** Where a job is: COMPLETED when every image settled (some may have failed), FAILED when none could be made. */
    public enum Status {
        QUEUED, RUNNING, COMPLETED, FAILED;

        /** Still to be worked on (resumed after a restart; not retried while in this state). */
        public boolean open() {
            return this == QUEUED || this == RUNNING;
        }
    }

    @Enumerated(EnumType.STRING)
    public Status status;

    public int total;

    /** Images made and failed, written when the job ends (progress is counted from its units). */
    public int done;

    public int failed;

    public long seed;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
