package dev.loupe.augment.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.config.AugmentConfig;
import dev.loupe.augment.domain.AugmentJob;
import dev.loupe.augment.domain.AugmentUnit;
import dev.loupe.augment.domain.StoredGlyph;
import dev.loupe.augment.glyph.Composite;
import dev.loupe.augment.glyph.Glyph;
import dev.loupe.augment.glyph.GlyphLibrary;
import dev.loupe.augment.glyph.Layout;
import dev.loupe.augment.glyph.Recipe;
import dev.loupe.augment.image.Operation;
import dev.loupe.augment.image.Operations;
import dev.loupe.augment.image.Png;
import dev.loupe.events.Provenance;
import dev.loupe.label.api.ItemView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Makes the images of accepted jobs. Every image is added to the label service under its unit's idempotency key, and
 * the unit is marked done only after the label service answered; a job interrupted anywhere (crash, restart, label
 * service away) is resumed by running its pending units again, and an image that reached the label service before the
 * interruption comes back as the same item instead of a second one.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final LabelServiceClient labels;
    private final AugmentConfig config;
    private final ObjectMapper json;
    private final Counter created;
    private final Counter failedImages;
    private final Set<UUID> active = ConcurrentHashMap.newKeySet();
    private ExecutorService pool;

    public JobRunner(LabelServiceClient labels, AugmentConfig config, ObjectMapper json, MeterRegistry registry) {
        this.labels = labels;
        this.config = config;
        this.json = json;
        this.created = Counter.builder("loupe.augment.images.created").description("Images added to the label service by jobs")
                .register(registry);
        this.failedImages = Counter.builder("loupe.augment.images.failed").description("Job images that failed for good")
                .register(registry);
        registry.gauge("loupe.augment.jobs.active", active, Set::size);
    }

    void onStart(@Observes StartupEvent event) {
        pool = Executors.newFixedThreadPool(Math.max(1, config.workers()), Thread.ofPlatform().name("augment-job-", 0).daemon().factory());
        resumeUnfinished();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Submits every job that was queued or running when the service last stopped. */
    public void resumeUnfinished() {
        List<UUID> open = QuarkusTransaction.requiringNew().call(() -> AugmentJob.<AugmentJob>find(
                "status in ?1 order by createdAt", List.of(AugmentJob.Status.QUEUED, AugmentJob.Status.RUNNING)).list().stream().map(j -> j.jobId).toList());
        if (!open.isEmpty()) LOG.infof("Resuming %d unfinished augment jobs", open.size());
        open.forEach(this::submit);
    }

    public void submit(UUID jobId) {
        if (!active.add(jobId)) return; // already running; it picks up pending units before it ends
        pool.execute(() -> {
            try {
                run(jobId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Augment job %s stopped unexpectedly; it resumes on the next start or retry", jobId);
            } finally {
                active.remove(jobId);
            }
        });
    }

    /** True while a job is being worked on in this process. */
    public boolean isActive(UUID jobId) {
        return active.contains(jobId);
    }

    private void run(UUID jobId) throws InterruptedException {
        AugmentJob job = QuarkusTransaction.requiringNew().call(() -> {
            AugmentJob j = AugmentJob.findById(jobId);
            if (j != null && j.status.open()) j.status = AugmentJob.Status.RUNNING;
            return j;
        });
        if (job == null || job.status != AugmentJob.Status.RUNNING) return;
        Maker maker = job.kind.equals(AugmentJob.RECIPE) ? recipeMaker(job) : augmentMaker(job);
        while (!Thread.currentThread().isInterrupted()) {
            List<AugmentUnit> batch = QuarkusTransaction.requiringNew().call(() -> AugmentUnit.<AugmentUnit>find(
                    "jobId = ?1 and status = ?2 order by seq", jobId, AugmentUnit.Status.PENDING).page(0, config.batchSize()).list());
            if (batch.isEmpty()) break;
            Map<String, Object> blobs = job.kind.equals(AugmentJob.AUGMENT)
                    ? labels.blobs(new LinkedHashSet<>(batch.stream().map(u -> u.parentSha256).toList()), 8) : Map.of();
            boolean transientFailure = false;
            for (AugmentUnit unit : batch) {
                Outcome outcome = makeOne(job, maker, unit, blobs);
                transientFailure |= outcome == Outcome.RETRY;
            }
            if (transientFailure) Thread.sleep(1000); // the label service is away: do not spin
        }
        QuarkusTransaction.requiringNew().run(() -> {
            AugmentJob j = AugmentJob.findById(jobId);
            long pending = AugmentUnit.count("jobId = ?1 and status = ?2", jobId, AugmentUnit.Status.PENDING);
            if (pending > 0) return; // interrupted: stays running, resumed on the next start
            long failed = AugmentUnit.count("jobId = ?1 and status = ?2", jobId, AugmentUnit.Status.FAILED);
            j.done = (int) (j.total - failed);
            j.failed = (int) failed;
            j.status = failed == j.total && j.total > 0 ? AugmentJob.Status.FAILED : AugmentJob.Status.COMPLETED;
            j.finishedAt = Instant.now();
            LOG.infof("Augment job %s (%s, project %s) finished: %d made, %d failed", jobId, j.kind, j.projectId, j.done, j.failed);
        });
    }

    private enum Outcome { DONE, FAILED, RETRY }

    /** Makes the image of one unit and its item for the label service. */
    @FunctionalInterface
    private interface Maker {
        LabelServiceClient.NewItem make(AugmentUnit unit, Map<String, Object> blobs) throws IOException;
    }

    private Outcome makeOne(AugmentJob job, Maker maker, AugmentUnit unit, Map<String, Object> blobs) {
        String error;
        boolean permanent;
        try {
            LabelServiceClient.NewItem item = maker.make(unit, blobs);
            ItemView added = labels.add(job.projectId, item);
            settle(unit, AugmentUnit.Status.DONE, added.id(), null);
            created.increment();
            return Outcome.DONE;
        } catch (LabelServiceClient.RefusedException e) {
            error = e.getMessage();
            permanent = true;
        } catch (IllegalArgumentException e) {
            // an image that does not decode, or an operation that does not fit this image after all
            error = "the image could not be made: " + e.getMessage();
            permanent = true;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return Outcome.RETRY; // shutting down: the unit stays pending, its attempt not counted
            }
            error = e.getMessage();
            permanent = false;
        }
        boolean giveUp = permanent || unit.attempts + 1 >= config.maxAttempts();
        settle(unit, giveUp ? AugmentUnit.Status.FAILED : AugmentUnit.Status.PENDING, null, error);
        if (giveUp) {
            failedImages.increment();
            LOG.warnf("Augment job %s image %d failed: %s", job.jobId, unit.seq, error);
        }
        return giveUp ? Outcome.FAILED : Outcome.RETRY;
    }

    private void settle(AugmentUnit unit, AugmentUnit.Status status, UUID createdItem, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            AugmentUnit u = AugmentUnit.findById(new AugmentUnit.Key(unit.jobId, unit.seq));
            u.status = status;
            u.attempts++;
            u.createdItemId = createdItem;
            u.error = error;
        });
    }

    private Maker augmentMaker(AugmentJob job) {
        Requests.Augmentation request = read(job.request, Requests.Augmentation.class);
        return (unit, blobs) -> {
            Object bytes = blobs.get(unit.parentSha256);
            if (bytes instanceof IOException e) throw e;
            if (!(bytes instanceof byte[] image)) throw new IOException("image " + unit.parentSha256 + " was not fetched");
            List<Operation> ops = Seeds.concreteOps(request.ops(), unit.seed);
            BufferedImage result = Operations.applyAll(ops, Png.decode(image), new SplittableRandom(unit.seed));
            List<Provenance.Operation> provenanceOps = Operations.toMaps(ops).stream()
                    .map(m -> new Provenance.Operation((String) m.get("op"), params(m))).toList();
            Provenance provenance = new Provenance(List.of(new Provenance.Parent(unit.parentItemId, unit.parentVersion)),
                    provenanceOps, unit.seed, job.jobId.toString());
            return new LabelServiceClient.NewItem(Png.encode(result), unit.label, "augmented", provenance,
                    "augmented/" + unit.parentItemId + "-" + shortId(job.jobId) + "-" + unit.seq + ".png", unit.idempotencyKey());
        };
    }

    private Maker recipeMaker(AugmentJob job) {
        Requests.RecipeRequest request = read(job.request, Requests.RecipeRequest.class);
        Map<String, StoredGlyph> byId = new HashMap<>();
        List<Glyph> glyphs = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (UUID id : request.glyphIds()) {
                StoredGlyph g = StoredGlyph.findById(id);
                if (g == null) continue; // deleted since: the recipe goes on with the others
                byId.put(id.toString(), g);
                glyphs.add(Glyph.of(g.symbol, id.toString(), Png.decode(g.png)));
            }
        });
        GlyphLibrary library = GlyphLibrary.of(glyphs);
        Layout layout = Layouts.of(request.layout());
        Recipe recipe = new Recipe(request.label(), layout);
        return (unit, blobs) -> {
            Composite composite = recipe.make(library, 1, new SplittableRandom(unit.seed)).getFirst();
            List<StoredGlyph> used = composite.glyphSources().stream().map(byId::get).toList();
            return new LabelServiceClient.NewItem(Png.encode(composite.image()), unit.label, "synthetic",
                    Compositions.provenance(used, request.layout(), unit.seed, job.jobId.toString()),
                    "synthetic/" + unit.label + "/" + shortId(job.jobId) + "-" + unit.seq + ".png", unit.idempotencyKey());
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> op) {
        Object params = op.get("params");
        return params == null ? Map.of() : (Map<String, Object>) params;
    }

    private <T> T read(String value, Class<T> type) {
        try {
            return json.readValue(value, type);
        } catch (IOException e) {
            throw new IllegalStateException("stored request unreadable", e);
        }
    }

    static String shortId(UUID id) {
        return id.toString().substring(0, 8);
    }
}
