package dev.loupe.label.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Progress of one move of images between blob stores; the images it could not move are {@link BlobMigrationFailure} rows. */
@Entity
@Table(name = "blob_migration")
public class BlobMigration extends PanacheEntityBase {

    public enum Status { RUNNING, COMPLETED, FAILED }

    @Id
    public UUID id;

    /** The store the images move to ({@code postgres} or {@code s3}). */
    @Column(nullable = false)
    public String target;

    /** The project whose images move; null: every image. */
    @Column(name = "project_id")
    public UUID projectId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    /** Images considered. */
    public int total;

    /** Images handled so far, whatever the outcome. */
    public int done;

    public int moved;

    /** Images already in the target store, or in a store migrations leave alone. */
    public int skipped;

    public int failed;

    /** Images of the project that other projects show too (they move with it: one copy per image). */
    public int shared;

    /** Why the job stopped, if it did not complete. */
    public String error;

    @Column(nullable = false)
    public String actor;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
