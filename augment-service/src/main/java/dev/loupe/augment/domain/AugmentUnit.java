package dev.loupe.augment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.UUID;

/**
 * One image a job makes: for an augmentation a copy of a parent item, for a recipe one composite. The label is
 * decided when the job is accepted; the seed is fixed per unit, so the image does not depend on the order units
 * run in, and a rerun (retry, restart) makes the same image under the same idempotency key.
 */
@Entity
@Table(name = "augment_unit")
@IdClass(AugmentUnit.Key.class)
public class AugmentUnit extends PanacheEntityBase {

    /** PENDING until its item was created (DONE) or it was given up (FAILED); a retry makes it PENDING again. */
    public enum Status { PENDING, DONE, FAILED }

    /** Composite key (job, position). */
    public record Key(UUID jobId, int seq) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "job_id")
    public UUID jobId;

    @Id
    public int seq;

    @Column(name = "parent_item_id")
    public UUID parentItemId;

    @Column(name = "parent_version")
    public Long parentVersion;

    @Column(name = "parent_sha256")
    public String parentSha256;

    public String label;

    public long seed;

    @Enumerated(EnumType.STRING)
    public Status status;

    public int attempts;

    @Column(name = "created_item_id")
    public UUID createdItemId;

    public String error;

    /** The key the label service deduplicates this image's item by. */
    public String idempotencyKey() {
        return "augment:" + jobId + ":" + seq;
    }
}
