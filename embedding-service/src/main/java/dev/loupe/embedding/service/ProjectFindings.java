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
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the issue finders ({@code analysis.issues}) on a snapshot, once per snapshot, with the project's model
 * predictions where it has them; and tells when those predictions changed, which makes the findings stale.
 */
@ApplicationScoped
public class ProjectFindings {

    private static final ProjectSnapshot.Key<FindingsReport> REPORT = new ProjectSnapshot.Key<>("findings");
    private static final ProjectSnapshot.Key<List<NearDuplicate>> DUPLICATES = new ProjectSnapshot.Key<>("duplicates");

    private final ModelPredictions predictions;
    private final EmbeddingConfig config;
    /** When the predictions the findings were last computed from arrived (empty: there were none), per project. */
    private final Map<UUID, Optional<Instant>> predictionsSeen = new ConcurrentHashMap<>();

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
        return snapshot.derived(REPORT, this::compute);
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
