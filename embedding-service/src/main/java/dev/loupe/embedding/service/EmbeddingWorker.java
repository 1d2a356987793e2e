package dev.loupe.embedding.service;

import dev.loupe.common.outbox.Outbox;
import dev.loupe.common.worker.BackgroundWorker;
import dev.loupe.embedding.analysis.InkMeter;
import dev.loupe.embedding.client.LabelServiceClient;
import dev.loupe.embedding.config.EmbeddingConfig;
import dev.loupe.embedding.domain.EmbeddedItem;
import dev.loupe.embedding.domain.ProjectState;
import dev.loupe.embedding.embedder.EmbeddingResult;
import dev.loupe.embedding.embedder.Preprocessor;
import dev.loupe.events.EmbeddingsUpdated;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Embeds pending items in batches: each distinct image once per model (vectors are cached by hash), bytes fetched
 * from the label service. An image that does not decode fails its items at once with the reason; bytes that cannot
 * be fetched are retried a bounded number of times. Every batch ends with an {@link EmbeddingsUpdated} per project,
 * written in the same transaction as the vectors.
 */
@ApplicationScoped
public class EmbeddingWorker {

    private static final Logger LOG = Logger.getLogger(EmbeddingWorker.class);
    private static final int BATCH = 256;
    private static final int FETCH_CONCURRENCY = 8;
    /** How long a claimed batch stays this replica's: far longer than a batch takes, short enough for a crash. */
    private static final Duration CLAIM = Duration.ofMinutes(2);

    private final EmbedderHolder embedder;
    private final VectorStore vectors;
    private final LabelServiceClient labels;
    private final Outbox outbox;
    private final ProjectAnalysis analysis;
    private final EmbeddingConfig config;
    private final jakarta.persistence.EntityManager em;
    private final io.micrometer.core.instrument.Counter embeddedImages;
    private final BackgroundWorker worker;

    public EmbeddingWorker(EmbedderHolder embedder, VectorStore vectors, LabelServiceClient labels, Outbox outbox,
                           ProjectAnalysis analysis, EmbeddingConfig config, jakarta.persistence.EntityManager em,
                           io.micrometer.core.instrument.MeterRegistry registry) {
        this.em = em;
        this.embeddedImages = io.micrometer.core.instrument.Counter.builder("loupe.embedding.images.embedded")
                .description("Images this replica ran through the model (cached vectors not counted)").register(registry);
        io.micrometer.core.instrument.Gauge.builder("loupe.embedding.backlog", this, EmbeddingWorker::backlog)
                .description("Items waiting to be embedded (all replicas)").register(registry);
        this.embedder = embedder;
        this.vectors = vectors;
        this.labels = labels;
        this.outbox = outbox;
        this.analysis = analysis;
        this.config = config;
        this.worker = BackgroundWorker.builder("embedding-worker", this::embedBatch)
                .pollInterval(Duration.ofSeconds(1))
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .stopTimeout(Duration.ofSeconds(10))
                .metrics(registry)
                .build();
    }

    void onStart(@Observes StartupEvent event) {
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.stop();
    }

    /** New pending items exist. */
    public void wake() {
        worker.wake();
    }

    /** Embeds one batch; true when it made progress and more may be waiting. */
    boolean embedBatch() throws InterruptedException {
        List<EmbeddedItem> pending = QuarkusTransaction.requiringNew().call(this::claim);
        if (pending.isEmpty()) {
            return false;
        }
        String model = embedder.id();
        Set<String> hashes = new LinkedHashSet<>();
        pending.forEach(item -> hashes.add(item.sha256));
        Set<String> cached = QuarkusTransaction.requiringNew().call(() -> vectors.existing(hashes, model));
        List<String> missing = hashes.stream().filter(h -> !cached.contains(h)).toList();
        List<String> toEmbed = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        Map<String, String> unavailable = new HashMap<>();
        labels.blobs(missing, FETCH_CONCURRENCY).forEach((sha, bytesOrError) -> {
            if (bytesOrError instanceof byte[] bytes) {
                toEmbed.add(sha);
                images.add(bytes);
            } else {
                unavailable.put(sha, ((Exception) bytesOrError).getMessage());
            }
        });
        EmbeddingResult result = images.isEmpty() ? null : embedder.embed(images);
        Map<String, Double> ink = new HashMap<>();
        for (int i = 0; i < toEmbed.size(); i++) {
            try {
                ink.put(toEmbed.get(i), InkMeter.inkFraction(images.get(i), Preprocessor.DEFAULT_MAX_PIXELS));
            } catch (IOException undecodable) {
                // reported by the embedder below
            }
        }
        Map<String, float[]> embedded = new HashMap<>();
        Map<String, String> undecodable = new HashMap<>();
        for (int i = 0; i < toEmbed.size(); i++) {
            if (result.succeeded(i)) {
                embedded.put(toEmbed.get(i), result.vector(i));
            } else {
                undecodable.put(toEmbed.get(i), result.error(i).orElse("could not be embedded"));
            }
        }
        Map<UUID, List<UUID>> changed = QuarkusTransaction.requiringNew().call(() -> {
            ink.forEach(vectors::saveInk);
            return record(pending, model, cached, embedded, undecodable, unavailable);
        });
        embeddedImages.increment(embedded.size());
        changed.forEach(analysis::itemsChanged);
        LOG.debugf("Embedded %d images (%d cached, %d undecodable, %d unavailable)", embedded.size(), cached.size(),
                undecodable.size(), unavailable.size());
        return !embedded.isEmpty() || !cached.isEmpty() || !undecodable.isEmpty() || unavailable.size() < hashes.size();
    }

    /** Pending items of all projects, for the backlog gauge (sampled by the metrics scrape). */
    private double backlog() {
        try {
            return QuarkusTransaction.requiringNew().call(() -> EmbeddedItem.count("status", EmbeddedItem.Status.PENDING));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * Claims the oldest pending items not claimed by another replica (a lease of {@link #CLAIM}): replicas share the
     * work instead of embedding the same batch, and the claims of a replica that died expire.
     */
    @SuppressWarnings("unchecked")
    private List<EmbeddedItem> claim() {
        List<UUID> ids = em.createNativeQuery("""
                        UPDATE item SET claimed_until = now() + make_interval(secs => ?2)
                        WHERE item_id IN (SELECT item_id FROM item
                                          WHERE status = 'PENDING' AND (claimed_until IS NULL OR claimed_until < now())
                                          ORDER BY updated_at LIMIT ?1 FOR UPDATE SKIP LOCKED)
                        RETURNING item_id""")
                .setParameter(1, BATCH).setParameter(2, (double) CLAIM.toSeconds()).getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return EmbeddedItem.<EmbeddedItem>list("itemId in ?1", Sort.by("updatedAt"), ids);
    }

    /** Marks the batch's items and publishes EmbeddingsUpdated; returns the newly embedded items per project. */
    private Map<UUID, List<UUID>> record(List<EmbeddedItem> batch, String model, Set<String> cached, Map<String, float[]> embedded,
                             Map<String, String> undecodable, Map<String, String> unavailable) {
        embedded.forEach((sha, vector) -> vectors.save(sha, model, vector));
        Instant now = Instant.now();
        Map<UUID, List<UUID>> done = new LinkedHashMap<>();
        for (EmbeddedItem snapshot : batch) {
            EmbeddedItem item = EmbeddedItem.findById(snapshot.itemId);
            if (item == null || item.status != EmbeddedItem.Status.PENDING) {
                continue;
            }
            item.updatedAt = now;
            if (embedded.containsKey(item.sha256) || cached.contains(item.sha256)) {
                item.status = EmbeddedItem.Status.EMBEDDED;
                item.embedder = model;
                item.error = null;
                done.computeIfAbsent(item.projectId, p -> new ArrayList<>()).add(item.itemId);
            } else if (undecodable.containsKey(item.sha256)) {
                item.status = EmbeddedItem.Status.FAILED;
                item.error = "undecodable image: " + undecodable.get(item.sha256);
                done.computeIfAbsent(item.projectId, p -> new ArrayList<>());
            } else if (unavailable.containsKey(item.sha256)) {
                em.createNativeQuery("UPDATE item SET claimed_until = NULL WHERE item_id = ?1").setParameter(1, item.itemId)
                        .executeUpdate();
                item.attempts++;
                item.error = "image not available: " + unavailable.get(item.sha256);
                if (item.attempts >= config.maxAttempts()) {
                    item.status = EmbeddedItem.Status.FAILED;
                    done.computeIfAbsent(item.projectId, p -> new ArrayList<>());
                }
            }
        }
        done.forEach((project, items) -> {
            ProjectState state = ProjectState.findById(project);
            outbox.publish(new EmbeddingsUpdated(project, items, model, state == null ? 0 : state.labelsSeen, now), now);
        });
        return done;
    }
}
