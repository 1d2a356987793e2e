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

/** Progress of one import; its failures are {@link ImportFailure} rows. */
@Entity
@Table(name = "import_job")
public class ImportJob extends PanacheEntityBase {

    public enum Status { RUNNING, COMPLETED, FAILED }

    @Id
    public UUID id;

    @Column(name = "project_id", nullable = false)
    public UUID projectId;

    @Column(name = "source_name", nullable = false)
    public String sourceName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    /** Files considered (images in class folders plus files that failed). */
    public int total;

    /** Files handled so far, whatever the outcome. */
    public int done;

    public int imported;

    /** Files already imported earlier (same path and bytes), not imported again. */
    public int skipped;

    /** Why the whole job failed, if it did. */
    public String error;

    @Column(nullable = false)
    public String actor;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
