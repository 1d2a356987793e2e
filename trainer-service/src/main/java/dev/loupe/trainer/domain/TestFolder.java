package dev.loupe.trainer.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A project's own test ImageFolder, scored after every run on its versions. */
@Entity
@Table(name = "test_folder")
public class TestFolder extends PanacheEntityBase {

    @Id
    @Column(name = "project_id")
    public UUID projectId;

    /** Bumped by every change: the ETag a team edits against. */
    public long version;

    @Column(nullable = false)
    public String path;

    /** JSON array of the class folders found. */
    @Column(nullable = false)
    public String classes;

    public int images;

    @Column(name = "set_by")
    public String setBy;

    @Column(name = "set_at", nullable = false)
    public Instant setAt;
}
