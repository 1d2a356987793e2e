package dev.loupe.embedding.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An item as this service knows it from events, with the state of its embedding. */
@Entity
@Table(name = "item")
public class EmbeddedItem extends PanacheEntityBase {

    public enum Status { PENDING, EMBEDDED, FAILED }

    @Id
    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "project_id", nullable = false)
    public UUID projectId;

    @Column(nullable = false)
    public String label;

    /** The label service's version of the item this row reflects; older events are ignored. */
    @Column(nullable = false)
    public long version;

    @Column(nullable = false)
    public boolean excluded;

    @Column(name = "original_split")
    public String originalSplit;

    @Column(nullable = false)
    public String sha256;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    public int attempts;

    public String error;

    /** The model the vector came from (for EMBEDDED). */
    public String embedder;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
