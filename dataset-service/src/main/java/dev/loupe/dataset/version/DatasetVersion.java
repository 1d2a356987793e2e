package dev.loupe.dataset.version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An immutable, named freeze of a project's items, labels, image hashes and split. */
@Entity
@Table(name = "dataset_version")
public class DatasetVersion extends PanacheEntityBase {

    @Id
    @Column(name = "version_id")
    public UUID versionId;

    @Column(name = "project_id")
    public UUID projectId;

    public String name;

    public String note;

    @Column(name = "content_hash")
    public String contentHash;

    public int items;

    /** JSON {train:{class:n}, val:{...}}. */
    public String counts;

    public String strategy;

    @Column(name = "split_version")
    public long splitVersion;

    /** The version whose val items this version's validation side was frozen at, or null. */
    @Column(name = "frozen_val_version")
    public UUID frozenValVersion;

    @Column(name = "labels_seen")
    public long labelsSeen;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;
}
