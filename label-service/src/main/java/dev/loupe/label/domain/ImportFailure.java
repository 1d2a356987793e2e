package dev.loupe.label.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.UUID;

/** A file an import could not take, and why. */
@Entity
@Table(name = "import_failure")
public class ImportFailure extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "job_id") UUID jobId, int position) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(nullable = false)
    public String path;

    @Column(nullable = false)
    public String reason;

    public static ImportFailure of(UUID jobId, int position, String path, String reason) {
        ImportFailure failure = new ImportFailure();
        failure.key = new Key(jobId, position);
        failure.path = path;
        failure.reason = reason;
        return failure;
    }
}
