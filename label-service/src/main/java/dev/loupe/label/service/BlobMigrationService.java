package dev.loupe.label.service;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.blob.BlobMover;
import dev.loupe.label.blob.BlobStores;
import dev.loupe.label.domain.BlobMigration;
import dev.loupe.label.domain.BlobMigrationFailure;
import dev.loupe.label.domain.Project;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Moves one project's images, or every image, between the database and the bucket in the background, a small batch
 * at a time ({@link BlobMover} per image), while readers keep reading. One migration runs at a time; running one
 * again after a failure or a restart moves what is left (moved images are skipped).
 */
@ApplicationScoped
public class BlobMigrationService {

    private static final Logger LOG = Logger.getLogger(BlobMigrationService.class);
    private static final int BATCH = 20;

    private final EntityManager em;
    private final BlobStores stores;
    private final BlobMover mover;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("loupe-blob-migration").daemon().factory());

    public BlobMigrationService(EntityManager em, BlobStores stores, BlobMover mover) {
        this.em = em;
        this.stores = stores;
        this.mover = mover;
    }

    /** Migrations cut short by a restart will never finish: say so, instead of showing RUNNING forever. */
    void onStart(@Observes StartupEvent event) {
        InterruptedJobs.markFailed(em, "BlobMigration", BlobMigration.Status.RUNNING, BlobMigration.Status.FAILED,
                "interrupted by a restart of the label service; start the migration again to move the rest (moved "
                        + "images are skipped)");
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }

    /**
     * Checks the target and the project before any work, records the job and starts it. 422 naming {@code to} for
     * an unknown store, 409 naming {@code to} for a store this deployment has not configured, 409 while another
     * migration runs, 422 naming {@code projectId} for an unknown project.
     */
    public BlobMigrationView start(String to, UUID projectId, String actor) {
        if (to == null || to.isBlank()) {
            throw ProblemException.unprocessable("to", "required: the store to move the images to, postgres or s3");
        }
        if (!BlobMover.MOVABLE.contains(to)) {
            throw ProblemException.unprocessable("to", "must be postgres or s3");
        }
        if (stores.named(to).isEmpty()) {
            throw ProblemException.conflict("to", "the " + to + " store is not configured in this deployment: set "
                    + "loupe.label.blobs.s3.enabled=true (LOUPE_BLOBS_S3_ENABLED) and the loupe.label.blobs.s3.* "
                    + "settings (LOUPE_BLOBS_S3_*), then restart the label service");
        }
        if (projectId != null && Project.findById(projectId) == null) {
            throw ProblemException.unprocessable("projectId", "no project has this id");
        }
        BlobMigration job;
        try {
            job = QuarkusTransaction.requiringNew().call(() -> create(to, projectId, actor));
        } catch (PersistenceException e) {
            throw running(); // another start won the race for the one running migration
        }
        worker.execute(() -> run(job.id, to, projectId));
        LOG.infof("Blob migration %s started: %d images of %s to %s (%d shown by other projects too)", job.id, job.total,
                projectId == null ? "every project" : "project " + projectId, to, job.shared);
        return BlobMigrationView.of(job, List.of());
    }

    /** The migration with all its failures, or 404. */
    public BlobMigrationView get(UUID id) {
        BlobMigration job = BlobMigration.findById(id);
        if (job == null) {
            throw ProblemException.notFound("blob migration", id);
        }
        return BlobMigrationView.of(job, BlobMigrationFailure.list("key.migrationId = ?1 order by key.sha256", id));
    }

    private BlobMigration create(String to, UUID projectId, String actor) {
        if (BlobMigration.count("status", BlobMigration.Status.RUNNING) > 0) {
            throw running();
        }
        BlobMigration job = new BlobMigration();
        job.id = UUID.randomUUID();
        job.target = to;
        job.projectId = projectId;
        job.status = BlobMigration.Status.RUNNING;
        job.total = count(projectId == null ? "SELECT count(*) FROM blob" : """
                SELECT count(*) FROM blob b WHERE EXISTS (SELECT 1 FROM item i WHERE i.sha256 = b.sha256 AND i.project_id = ?1)""",
                projectId);
        job.shared = projectId == null ? 0 : count("""
                SELECT count(*) FROM blob b
                WHERE EXISTS (SELECT 1 FROM item i WHERE i.sha256 = b.sha256 AND i.project_id = ?1)
                  AND EXISTS (SELECT 1 FROM item i WHERE i.sha256 = b.sha256 AND i.project_id <> ?1)""", projectId);
        job.actor = actor;
        job.createdAt = Instant.now();
        job.persist();
        em.flush();
        return job;
    }

    private static ProblemException running() {
        BlobMigration other = BlobMigration.find("status", BlobMigration.Status.RUNNING).firstResult();
        return ProblemException.conflict("blob migration " + (other == null ? "" : other.id + " ")
                + "is running; one migration runs at a time, start this one when it has ended");
    }

    private int count(String sql, UUID projectId) {
        var query = em.createNativeQuery(sql);
        if (projectId != null) {
            query.setParameter(1, projectId);
        }
        return ((Number) query.getSingleResult()).intValue();
    }

    private void run(UUID jobId, String to, UUID projectId) {
        try {
            String after = "";
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("the label service is shutting down");
                }
                String from = after;
                List<String> batch = QuarkusTransaction.requiringNew().call(() -> next(projectId, from));
                if (batch.isEmpty()) {
                    break;
                }
                int moved = 0;
                int skipped = 0;
                List<BlobMigrationFailure> failures = new ArrayList<>();
                for (String sha256 : batch) {
                    BlobMover.Outcome outcome = mover.move(sha256, to);
                    switch (outcome.result()) {
                        case MOVED -> moved++;
                        case SKIPPED -> skipped++;
                        case FAILED -> failures.add(BlobMigrationFailure.of(jobId, sha256, outcome.reason()));
                    }
                }
                int m = moved;
                int s = skipped;
                QuarkusTransaction.requiringNew().run(() -> record(jobId, batch.size(), m, s, failures));
                after = batch.getLast();
            }
            QuarkusTransaction.requiringNew().run(() -> finish(jobId));
        } catch (Exception e) {
            LOG.errorf(e, "Blob migration %s failed", jobId);
            QuarkusTransaction.requiringNew().run(() -> {
                BlobMigration job = BlobMigration.findById(jobId);
                job.status = BlobMigration.Status.FAILED;
                job.error = e.toString() + "; start the migration again to move the rest (moved images are skipped)";
                job.finishedAt = Instant.now();
            });
        }
    }

    /** The next images after {@code after} in sha256 order (keyset: images added meanwhile are taken too). */
    private List<String> next(UUID projectId, String after) {
        var query = em.createNativeQuery(projectId == null
                ? "SELECT sha256 FROM blob WHERE sha256 > ?1 ORDER BY sha256"
                : """
                SELECT b.sha256 FROM blob b WHERE b.sha256 > ?1
                  AND EXISTS (SELECT 1 FROM item i WHERE i.sha256 = b.sha256 AND i.project_id = ?2)
                ORDER BY b.sha256""", String.class).setParameter(1, after).setMaxResults(BATCH);
        if (projectId != null) {
            query.setParameter(2, projectId);
        }
        @SuppressWarnings("unchecked")
        List<String> rows = query.getResultList();
        return rows.stream().map(String::strip).toList();
    }

    private void record(UUID jobId, int handled, int moved, int skipped, List<BlobMigrationFailure> failures) {
        failures.forEach(f -> f.persist());
        BlobMigration job = BlobMigration.findById(jobId);
        job.done += handled;
        job.total = Math.max(job.total, job.done); // images added while it ran are moved too
        job.moved += moved;
        job.skipped += skipped;
        job.failed += failures.size();
    }

    private void finish(UUID jobId) {
        BlobMigration job = BlobMigration.findById(jobId);
        job.finishedAt = Instant.now();
        if (job.failed == 0) {
            job.status = BlobMigration.Status.COMPLETED;
            LOG.infof("Blob migration %s completed: %d moved, %d skipped", jobId, job.moved, job.skipped);
        } else {
            job.status = BlobMigration.Status.FAILED;
            job.error = job.failed + " images could not be moved (see failures); they stay readable where they were; "
                    + "start the migration again to retry them";
            LOG.warnf("Blob migration %s ended with %d images not moved", jobId, job.failed);
        }
    }
}
