package dev.loupe.label.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.UUID;

/** An image a blob migration could not move, and why; it stays readable where it was. */
@Entity
@Table(name = "blob_migration_failure")
public class BlobMigrationFailure extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "migration_id") UUID migrationId, String sha256) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(nullable = false)
    public String reason;

    public static BlobMigrationFailure of(UUID migrationId, String sha256, String reason) {
        BlobMigrationFailure failure = new BlobMigrationFailure();
        failure.key = new Key(migrationId, sha256);
        failure.reason = reason;
        return failure;
    }
}
