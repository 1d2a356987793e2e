package dev.loupe.augment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A project's own label policy (JSON, as {@code AugmentPolicy.fromMap} reads it); absent = the shipped default. */
@Entity
@Table(name = "augment_policy")
public class ProjectPolicy extends PanacheEntityBase {

    @Id
    @Column(name = "project_id")
    public UUID projectId;

    public String policy;

    /** The ETag; 0 is the shipped default. */
    public long version;

    @Column(name = "updated_by")
    public String updatedBy;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
