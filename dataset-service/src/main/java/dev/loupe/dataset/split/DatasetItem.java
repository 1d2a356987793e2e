package dev.loupe.dataset.split;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** What this service knows of an item, from the label service's events. */
@Entity
@Table(name = "item")
public class DatasetItem extends PanacheEntityBase {

    @Id
    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "project_id")
    public UUID projectId;

    public String label;

    public long version;

    public boolean excluded;

    public String sha256;

    @Column(name = "original_split")
    public String originalSplit;

    @Column(name = "original_path")
    public String originalPath;

    public String source;

    /** JSON of the event's Provenance, or null. */
    public String provenance;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
