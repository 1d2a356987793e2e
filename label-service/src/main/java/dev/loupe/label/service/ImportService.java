package dev.loupe.label.service;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.config.LabelConfig;
import dev.loupe.label.domain.ImportFailure;
import dev.loupe.label.domain.ImportJob;
import dev.loupe.label.domain.ItemSource;
import dev.loupe.label.domain.Project;
import dev.loupe.label.image.ImageInfo;
import dev.loupe.label.image.ImageRejectedException;
import dev.loupe.label.importer.ImportEntry;
import dev.loupe.label.importer.ImportLayout;
import dev.loupe.label.importer.ImportSource;
import dev.loupe.label.importer.ReferenceImportSource;
import dev.loupe.label.blob.S3Uri;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Imports archives, folders, bucket prefixes and manifests in the background. The layout is checked up front (so an archive with nothing to
 * import is refused before a job exists); each batch of images is validated first and then written in one
 * transaction, so a bad file never leaves half an item behind. Re-running an import skips what is there already.
 */
@ApplicationScoped
public class ImportService {

    private static final Logger LOG = Logger.getLogger(ImportService.class);

    private final EntityManager em;
    private final ItemService items;
    private final ProjectService projects;
    private final LabelConfig config;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("loupe-import-", 0).daemon().factory());

    public ImportService(EntityManager em, ItemService items, ProjectService projects, LabelConfig config) {
        this.em = em;
        this.items = items;
        this.projects = projects;
        this.config = config;
    }

    /** Jobs cut short by a restart will never finish: say so, instead of showing RUNNING forever. */
    void onStart(@Observes StartupEvent event) {
        InterruptedJobs.markFailed(em, "ImportJob", ImportJob.Status.RUNNING, ImportJob.Status.FAILED,
                "interrupted by a restart of the label service; import again to finish (imported files are skipped)");
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }

    /**
     * Checks the layout, records the job and starts it; the source is closed when the job ends. Answers the job as
     * recorded, with the failures known so far.
     */
    public ImportView start(UUID projectId, ImportSource source, String actor) {
        boolean started = false;
        try {
            Project project = projects.require(projectId);
            List<ImportLayout.Placed> placed = new ArrayList<>();
            List<ImportLayout.Rejected> rejected = new ArrayList<>();
            for (ImportEntry entry : source.entries()) {
                switch (source.place(entry, project::canonicalClass)) {
                    case ImportLayout.Placed p -> placed.add(p);
                    case ImportLayout.Rejected r -> rejected.add(r);
                    case ImportLayout.Ignored ignored -> { }
                }
            }
            if (placed.isEmpty() && rejected.isEmpty()) {
                throw ProblemException.unprocessable(source.field(), "the archive contains no files");
            }
            if (placed.isEmpty() && source.field().equals("manifest")) {
                throw ProblemException.unprocessable("manifest", "no row can be imported: " + rejected.stream()
                        .limit(5).map(ImportLayout.Rejected::reason).toList());
            }
            if (placed.isEmpty()) {
                Set<String> folders = new TreeSet<>();
                rejected.forEach(r -> folders.add(r.folder() == null ? "(top level)" : r.folder()));
                throw ProblemException.unprocessable(source.field(), "no folder matches a class of project " + project.name
                        + " " + project.classList() + "; folders found: " + folders);
            }
            ImportJob job = QuarkusTransaction.requiringNew().call(() -> createJob(project, source.name(), placed.size(), rejected, actor));
            workers.execute(() -> run(job.id, project, source, placed, rejected.size(), actor));
            started = true;
            LOG.infof("Import %s of %s into project %s started: %d images, %d rejected", job.id, source.name(), project.id,
                    placed.size(), rejected.size());
            return ImportView.of(job, failures(job.id));
        } finally {
            if (!started) {
                closeQuietly(source);
            }
        }
    }

    /** The import with all its failures, or 404. */
    public ImportView get(UUID jobId) {
        ImportJob job = ImportJob.findById(jobId);
        if (job == null) {
            throw ProblemException.notFound("import", jobId);
        }
        return ImportView.of(job, failures(job.id));
    }

    /** A project's imports, newest first, without their failure lists; 404 for an unknown project. */
    public List<ImportView> forProject(UUID projectId) {
        projects.require(projectId);
        return ImportJob.<ImportJob>list("projectId = ?1 order by createdAt desc", projectId).stream()
                .map(job -> ImportView.of(job, List.of()))
                .toList();
    }

    private List<ImportFailure> failures(UUID jobId) {
        return ImportFailure.list("key.jobId = ?1 order by key.position", jobId);
    }

    private ImportJob createJob(Project project, String sourceName, int images, List<ImportLayout.Rejected> rejected, String actor) {
        ImportJob job = new ImportJob();
        job.id = UUID.randomUUID();
        job.projectId = project.id;
        job.sourceName = sourceName;
        job.status = ImportJob.Status.RUNNING;
        job.total = images + rejected.size();
        job.done = rejected.size();
        job.actor = actor;
        job.createdAt = Instant.now();
        job.persist();
        for (int i = 0; i < rejected.size(); i++) {
            ImportFailure.of(job.id, i, rejected.get(i).path(), rejected.get(i).reason()).persist();
        }
        return job;
    }

    private void run(UUID jobId, Project project, ImportSource source, List<ImportLayout.Placed> placed, int failuresSoFar, String actor) {
        int[] failureCount = {failuresSoFar};
        // images read from a bucket stay there unless the project copies them into this deployment's store
        ReferenceImportSource byReference = source instanceof ReferenceImportSource r && !project.copyImages ? r : null;
        try (source) {
            int batchSize = config.imports().batchSize();
            for (int from = 0; from < placed.size(); from += batchSize) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("shutting down");
                }
                List<ImportLayout.Placed> batch = placed.subList(from, Math.min(placed.size(), from + batchSize));
                List<Accepted> accepted = new ArrayList<>();
                List<ImportFailure> failed = new ArrayList<>();
                for (ImportLayout.Placed p : batch) {
                    try {
                        ImportEntry entry = new ImportEntry(p.path(), Long.MAX_VALUE);
                        byte[] bytes = source.read(entry, config.maxImageBytes());
                        ImageInfo info = items.inspector().inspect(bytes);
                        accepted.add(byReference == null ? new Accepted(p, info, bytes, null)
                                : new Accepted(p, info, null, byReference.uri(entry)));
                    } catch (ImageRejectedException | IOException e) {
                        failed.add(ImportFailure.of(jobId, failureCount[0]++, p.path(), e.getMessage()));
                    }
                }
                QuarkusTransaction.requiringNew().run(() -> writeBatch(jobId, project, accepted, failed, batch.size(), actor));
            }
            QuarkusTransaction.requiringNew().run(() -> finish(jobId, ImportJob.Status.COMPLETED, null));
            LOG.infof("Import %s finished", jobId);
        } catch (Exception e) {
            LOG.errorf(e, "Import %s failed", jobId);
            QuarkusTransaction.requiringNew().run(() -> finish(jobId, ImportJob.Status.FAILED, e.toString()));
        }
    }

    /** An image to import: its bytes to store, or the object it stays in ({@code reference}). */
    private record Accepted(ImportLayout.Placed placed, ImageInfo info, byte[] bytes, S3Uri reference) {
    }

    private void writeBatch(UUID jobId, Project project, List<Accepted> accepted, List<ImportFailure> failed, int handled, String actor) {
        Set<String> existing = existingIdentities(project.id, accepted);
        Instant now = Instant.now();
        int imported = 0;
        int skipped = 0;
        Set<String> seenInBatch = new HashSet<>();
        for (Accepted a : accepted) {
            String identity = a.placed().path() + "\n" + a.info().sha256();
            if (existing.contains(identity) || !seenInBatch.add(identity)) {
                skipped++;
                continue;
            }
            if (a.reference() == null) {
                items.create(project, a.info(), a.bytes(), a.placed().label(), a.placed().split(), a.placed().path(),
                        ItemSource.ORIGINAL, null, null, actor, now);
            } else {
                items.createReferenced(project, a.info(), a.reference(), a.placed().label(), a.placed().split(),
                        a.placed().path(), actor, now);
            }
            imported++;
        }
        failed.forEach(f -> f.persist());
        ImportJob job = ImportJob.findById(jobId);
        job.done += handled;
        job.imported += imported;
        job.skipped += skipped;
    }

    private Set<String> existingIdentities(UUID projectId, List<Accepted> accepted) {
        if (accepted.isEmpty()) {
            return Set.of();
        }
        List<String> paths = accepted.stream().map(a -> a.placed().path()).toList();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createQuery(
                        "select originalPath, sha256 from Item where projectId = :p and originalPath in :paths")
                .setParameter("p", projectId)
                .setParameter("paths", paths)
                .getResultList();
        Set<String> identities = new HashSet<>();
        for (Object[] row : rows) {
            identities.add(row[0] + "\n" + row[1]);
        }
        return identities;
    }

    private void finish(UUID jobId, ImportJob.Status status, String error) {
        ImportJob job = ImportJob.findById(jobId);
        job.status = status;
        job.error = error;
        job.finishedAt = Instant.now();
    }

    private static void closeQuietly(ImportSource source) {
        try {
            source.close();
        } catch (IOException e) {
            LOG.debugf("closing %s: %s", source.name(), e);
        }
    }
}
