package dev.loupe.label.service;

import dev.loupe.label.domain.BlobMigration;
import dev.loupe.label.domain.BlobMigrationFailure;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A blob migration's progress: of {@code total} images, {@code moved} now, {@code skipped} (already in the target, or
 * kept in a store migrations leave alone) and {@code failed} (listed in {@code failures}, each still readable where it
 * was). {@code shared}: images of the project that other projects show too, which move with it (one copy per image).
 */
public record BlobMigrationView(UUID migrationId, String to, UUID projectId, MigrationStatus status, int total, int done,
                                int moved, int skipped, int failed, int shared, List<NotMoved> failures, String error,
                                String actor, Instant createdAt, Instant finishedAt) {

    /** Where a migration stands: FAILED when it was interrupted or some images could not be moved. */
    public enum MigrationStatus { RUNNING, COMPLETED, FAILED }

    /** An image the migration could not move. */
    public record NotMoved(String sha256, String reason) {
    }

    static BlobMigrationView of(BlobMigration job, List<BlobMigrationFailure> failures) {
        return new BlobMigrationView(job.id, job.target, job.projectId, status(job.status), job.total, job.done,
                job.moved, job.skipped, job.failed, job.shared,
                failures.stream().map(f -> new NotMoved(f.key.sha256(), f.reason)).toList(),
                job.error, job.actor, job.createdAt, job.finishedAt);
    }

    /** Exhaustive on purpose: a new stored status does not compile until it is shown here too. */
    private static MigrationStatus status(BlobMigration.Status status) {
        return switch (status) {
            case RUNNING -> MigrationStatus.RUNNING;
            case COMPLETED -> MigrationStatus.COMPLETED;
            case FAILED -> MigrationStatus.FAILED;
        };
    }
}
