package dev.loupe.label.service;

import dev.loupe.label.domain.ImportFailure;
import dev.loupe.label.domain.ImportJob;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An import's progress; {@code failed} lists every file that was not imported, with the reason. */
public record ImportView(UUID importId, UUID projectId, String source, Status status, int total, int done,
                        int imported, int skipped, List<Failure> failed, String error, Instant createdAt,
                        Instant finishedAt) {

    /** Where an import stands; the names are those of the job's stored status. */
    public enum Status { RUNNING, COMPLETED, FAILED }

    /** A file an import could not take. */
    public record Failure(String path, String reason) {
    }

    static ImportView of(ImportJob job, List<ImportFailure> failures) {
        return new ImportView(job.id, job.projectId, job.sourceName, status(job.status), job.total, job.done,
                job.imported, job.skipped, failures.stream().map(f -> new Failure(f.path, f.reason)).toList(),
                job.error, job.createdAt, job.finishedAt);
    }

    /** Exhaustive on purpose: a new stored status does not compile until it is shown here too. */
    private static Status status(ImportJob.Status status) {
        return status == null ? null : switch (status) {
            case RUNNING -> Status.RUNNING;
            case COMPLETED -> Status.COMPLETED;
            case FAILED -> Status.FAILED;
        };
    }
}
