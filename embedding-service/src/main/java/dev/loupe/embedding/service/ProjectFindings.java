package dev.loupe.embedding.service;

import dev.loupe.embedding.analysis.ProjectSnapshot;
import dev.loupe.embedding.analysis.issues.FailedImage;
import dev.loupe.embedding.analysis.issues.FindingsReport;
import dev.loupe.embedding.analysis.issues.LabelIssueFinder;
import dev.loupe.embedding.analysis.issues.NearDuplicate;
import dev.loupe.embedding.analysis.issues.NearDuplicateFinder;
import dev.loupe.embedding.analysis.issues.OutlierFinder;
import dev.loupe.embedding.analysis.issues.PredictionBlend;
import dev.loupe.embedding.analysis.issues.TrainValShift;
import dev.loupe.embedding.config.EmbeddingConfig;
import dev.loupe.embedding.domain.EmbeddedItem;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the issue finders ({@code analysis.issues}) on a snapshot, once per snapshot, with the project's model
 * predictions where it has them; and tells when those predictions changed, which makes the findings stale.
 */
@ApplicationScoped
public class ProjectFindings {

    private static final Logger LOG = Logger.getLogger(ProjectFindings.class);
    /** Background computations of a project start at least this many times their duration after the last ended. */
    private static final long SPACING = 4;

    private static final ProjectSnapshot.Key<FindingsReport> REPORT = new ProjectSnapshot.Key<>("findings");
    private static final ProjectSnapshot.Key<List<NearDuplicate>> DUPLICATES = new ProjectSnapshot.Key<>("duplicates");

    private final ModelPredictions predictions;
    private final EmbeddingConfig config;
    /** When the predictions the findings were last computed from arrived (empty: there were none), per project. */
    private final Map<UUID, Optional<Instant>> predictionsSeen = new ConcurrentHashMap<>();
    /** The newest snapshot of each project whose findings are computed (it holds them). */
    private final Map<UUID, ProjectSnapshot> latest = new ConcurrentHashMap<>();
    /** Projects whose findings are being computed in the background, or are scheduled to be. */
    private final Set<UUID> refreshing = ConcurrentHashMap.newKeySet();
    /** The last background computation of each project: the next one starts SPACING times its duration later. */
    private final Map<UUID, Computation> lastComputation = new ConcurrentHashMap<>();
    private final ScheduledExecutorService background = Executors.newScheduledThreadPool(2, Thread.ofPlatform()
            .name("loupe-findings-", 0).daemon().factory());

    public ProjectFindings(ModelPredictions predictions, EmbeddingConfig config) {
        this.predictions = predictions;
        this.config = config;
    }

    /**
     * Whether the project's model predictions changed (on any replica: the set is in the database) since findings
     * were computed from them: one indexed lookup.
     */
    public boolean predictionsChanged(UUID projectId) {
        Optional<Instant> current = Optional.ofNullable(predictions.receivedAt(projectId));
        Optional<Instant> seen = predictionsSeen.put(projectId, current);
        return seen != null && !seen.equals(current);
    }

    /** Every finding of the snapshot and its train/val shift. */
    public FindingsReport report(ProjectSnapshot snapshot) {
        FindingsReport report = snapshot.derived(REPORT, this::compute);
        latest.merge(snapshot.projectId(), snapshot, (known, now) -> now.stamp() >= known.stamp() ? now : known);
        return report;
    }

    /**
     * The findings of the project's newest snapshot when they are computed; else the last ones computed, which the
     * caller sees are of an older snapshot, while those of the newest are computed in the background: one computation
     * per project at a time, starting at least {@link #SPACING} times the last one's duration after it ended. With
     * none computed yet it computes them now, like {@link #report}.
     *
     * @param newest the project's current snapshot, asked again when a background computation starts
     */
    public Latest latest(ProjectSnapshot current, Supplier<ProjectSnapshot> newest) {
        FindingsReport done = current.computed(REPORT);
        if (done != null) {
            return new Latest(done, current, true, false);
        }
        ProjectSnapshot last = latest.get(current.projectId());
        FindingsReport lastReport = last == null ? null : last.computed(REPORT);
        if (lastReport == null) {
            return new Latest(report(current), current, true, false);
        }
        UUID projectId = current.projectId();
        if (refreshing.add(projectId)) {
            // while changes keep coming, a project's background computations are SPACING computation times apart:
            // findings then take at most a fifth of a core, whatever the readers do
            Computation previous = lastComputation.get(projectId);
            long delay = previous == null ? 0
                    : Math.max(0, previous.endedAt() + SPACING * previous.took() - System.nanoTime());
            try {
                background.schedule(() -> computeInBackground(projectId, newest), delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                refreshing.remove(projectId);
            }
        }
        return new Latest(lastReport, last, false, refreshing.contains(projectId));
    }

    private void computeInBackground(UUID projectId, Supplier<ProjectSnapshot> newest) {
        long started = System.nanoTime();
        ManagedContext request = Arc.container().requestContext();
        request.activate();
        try {
            report(newest.get());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Computing the findings of project %s in the background failed; the next read tries again", projectId);
        } finally {
            request.terminate();
            long ended = System.nanoTime();
            lastComputation.put(projectId, new Computation(ended, ended - started));
            refreshing.remove(projectId);
        }
    }

    /** When a background computation ended and how long it took (nanoseconds). */
    private record Computation(long endedAt, long took) {
    }

    /**
     * Findings and the snapshot they were computed on.
     *
     * @param current    whether that snapshot is the project's newest one
     * @param refreshing whether findings of a newer snapshot are being computed, or will be once the spacing passed
     */
    public record Latest(FindingsReport report, ProjectSnapshot basis, boolean current, boolean refreshing) {
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }

    /** Exact and near duplicate pairs alone: only the k-NN graph, none of the classifiers of {@link #report}. */
    public List<NearDuplicate> duplicates(ProjectSnapshot snapshot) {
        return snapshot.derived(DUPLICATES, new NearDuplicateFinder(config.nearDuplicateDistance())::find);
    }

    /** Images of the project that could not be embedded, from the store (they have no vector to analyse). */
    public List<FailedImage> failedImages(UUID projectId) {
        return EmbeddedItem.<EmbeddedItem>list("projectId = ?1 and status = ?2", projectId, EmbeddedItem.Status.FAILED)
                .stream().map(item -> new FailedImage(item.itemId, item.error == null ? "" : item.error)).toList();
    }

    private FindingsReport compute(ProjectSnapshot snapshot) {
        Optional<ModelPredictions.Set> modelSet = predictions.load(snapshot.projectId());
        predictionsSeen.put(snapshot.projectId(), modelSet.map(m -> m.summary().receivedAt()));
        PredictionBlend model = modelSet.map(m -> new PredictionBlend(m.summary().evaluationId(), m.summary().classes(),
                m.probabilities())).orElse(null);
        return new FindingsReport(new LabelIssueFinder(model).find(snapshot), new OutlierFinder().find(snapshot),
                duplicates(snapshot), new TrainValShift().measure(snapshot));
    }
}
