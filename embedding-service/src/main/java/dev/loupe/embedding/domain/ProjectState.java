package dev.loupe.embedding.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** How far this service has applied a project's item events (the label service's event sequence). */
@Entity
@Table(name = "project_state")
public class ProjectState extends PanacheEntityBase {

    @Id
    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "labels_seen", nullable = false)
    public long labelsSeen;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
