package dev.loupe.label.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/** One image in a project with its current label; every change bumps {@link #version}. */
@Entity
@Table(name = "item")
public class Item extends PanacheEntityBase {

    /** Versions start here; Hibernate keeps a non-negative initial value and increments it on every update. */
    public static final long FIRST_VERSION = 1;

    @Id
    public UUID id;

    @Column(name = "project_id", nullable = false)
    public UUID projectId;

    @Column(nullable = false)
    public String label;

    @Version
    public long version;

    @Column(nullable = false)
    public boolean excluded;

    @Column(name = "excluded_reason")
    public String excludedReason;

    @Column(name = "original_split")
    public String originalSplit;

    @Column(name = "original_path")
    public String originalPath;

    @Column(nullable = false)
    public String sha256;

    public int width;

    public int height;

    /** Wire name of {@link ItemSource}. */
    @Column(nullable = false)
    public String source;

    /** JSON of {@link dev.loupe.events.Provenance}, null for originals. */
    public String provenance;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
