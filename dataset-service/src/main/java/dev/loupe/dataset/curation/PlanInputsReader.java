package dev.loupe.dataset.curation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.augment.api.AugmentApi;
import dev.loupe.dataset.client.AugmentClient;
import dev.loupe.dataset.client.EmbeddingClient;
import dev.loupe.dataset.config.CurationConfig;
import dev.loupe.dataset.evaluation.Evaluation;
import dev.loupe.dataset.evaluation.SeedResult;
import dev.loupe.dataset.split.SplitService;
import dev.loupe.dataset.version.DatasetVersion;
import dev.loupe.embedding.api.Finding;
import dev.loupe.embedding.api.ReviewQueuePage;
import dev.loupe.events.EvaluationStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Reads what a plan is derived from: the split and items (this service), the latest version's latest completed
 * evaluation (this service), open findings (the embedding service's findings of items still in its review queue for
 * that kind: people's decisions stand; a plan needs them: 503 without) and the augment
 * service's suggestions (optional: without them the plan uses default operations and proposes no recipes or styles).
 */
@ApplicationScoped
public class PlanInputsReader {

    /** Most findings of one type a plan reads. */
    static final int MAX_FINDINGS = 5000;

    private final EntityManager em;
    private final SplitService splits;
    private final EmbeddingClient embeddings;
    private final AugmentClient augment;
    private final CurationConfig config;
    private final ObjectMapper json;

    public PlanInputsReader(EntityManager em, SplitService splits, EmbeddingClient embeddings, AugmentClient augment,
                            CurationConfig config, ObjectMapper json) {
        this.em = em;
        this.splits = splits;
        this.embeddings = embeddings;
        this.augment = augment;
        this.config = config;
        this.json = json;
    }

    /** 404 for a project this service has not seen; 503 when the embedding service cannot give the findings. */
    public PlanInputs read(UUID projectId, double minConfidence) {
        Map<String, Map<String, Integer>> counts = splits.current(projectId).counts();
        Local local = QuarkusTransaction.requiringNew().call(() -> local(projectId));
        List<Finding> issues;
        List<Finding> outliers;
        try {
            // open findings only: what people decided in the review queue (a KEEP, say) is not overruled
            Map<UUID, java.util.Set<String>> open = embeddings.openReasons(projectId, 2 * MAX_FINDINGS);
            issues = open(embeddings.findings(projectId, Finding.TYPE_LABEL_ISSUE, MAX_FINDINGS), open,
                    ReviewQueuePage.KIND_LABEL_ISSUE);
            outliers = open(embeddings.findings(projectId, Finding.TYPE_OUTLIER, MAX_FINDINGS), open,
                    ReviewQueuePage.KIND_OUTLIER);
        } catch (IOException e) {
            throw new ProblemException(503, "Service Unavailable", "the findings could not be read, nothing was "
                    + "planned: " + e.getMessage(), List.of());
        }
        AugmentApi.Suggestions suggestions = null;
        String status;
        try {
            suggestions = augment.suggestions(projectId);
            status = "ok";
        } catch (IOException e) {
            status = "unavailable: " + e.getMessage();
        }
        TreeSet<String> classes = new TreeSet<>();
        counts.values().forEach(side -> classes.addAll(side.keySet()));
        classes.addAll(local.trainOriginals().keySet());
        PlanInputs.Settings settings = new PlanInputs.Settings(minConfidence, config.outlierMinScore(),
                config.excludeMaxShare(), config.maxCopiesPerItem(), config.seed());
        return new PlanInputs(projectId, local.versionId(), local.evaluationId(), local.itemsNow(), List.copyOf(classes),
                counts.getOrDefault("train", Map.of()), local.trainOriginals(), local.accuracy(), local.confusions(),
                issues, outliers, suggestions, status, local.frozenVal(), settings);
    }

    private static List<Finding> open(List<Finding> findings, Map<UUID, java.util.Set<String>> open, String kind) {
        return findings.stream().filter(f -> !f.itemIds().isEmpty()
                && open.getOrDefault(f.itemIds().getFirst(), java.util.Set.of()).contains(kind)).toList();
    }

    private record Local(UUID versionId, UUID evaluationId, int itemsNow, Map<String, List<UUID>> trainOriginals,
                         Map<String, Double> accuracy, List<PlanInputs.Confusion> confusions, Set<UUID> frozenVal) {
    }

    private Local local(UUID projectId) {
        int itemsNow = ((Number) em.createNativeQuery("SELECT count(*) FROM item WHERE project_id = ?1 AND NOT excluded")
                .setParameter(1, projectId).getSingleResult()).intValue();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT a.item_id, i.label FROM assignment a JOIN item i ON i.item_id = a.item_id
                        WHERE a.project_id = ?1 AND a.side = 'train' AND NOT i.excluded
                          AND coalesce(i.source, 'original') NOT IN ('augmented', 'synthetic')
                        ORDER BY a.item_id""")
                .setParameter(1, projectId).getResultList();
        Map<String, List<UUID>> originals = new TreeMap<>();
        for (Object[] r : rows) {
            originals.computeIfAbsent((String) r[1], k -> new ArrayList<>()).add((UUID) r[0]);
        }
        // while the validation side is frozen, its items are the current val side
        @SuppressWarnings("unchecked")
        List<UUID> frozen = em.createNativeQuery("""
                        SELECT a.item_id FROM assignment a JOIN split_state s ON s.project_id = a.project_id
                        WHERE a.project_id = ?1 AND a.side = 'val' AND s.frozen_val_version IS NOT NULL""", UUID.class)
                .setParameter(1, projectId).getResultList();
        Set<UUID> frozenVal = Set.copyOf(frozen);
        DatasetVersion latest = DatasetVersion.<DatasetVersion>find("projectId = ?1 order by createdAt desc", projectId)
                .firstResult();
        if (latest == null) {
            return new Local(null, null, itemsNow, originals, null, List.of(), frozenVal);
        }
        Evaluation evaluation = Evaluation.<Evaluation>find("versionId = ?1 and status = ?2 order by updatedAt desc",
                latest.versionId, EvaluationStatus.COMPLETED).firstResult();
        List<SeedResult> seeds = evaluation == null ? List.of() : SeedResult.fromMetrics(metrics(evaluation));
        if (seeds.isEmpty()) {
            return new Local(latest.versionId, null, itemsNow, originals, null, List.of(), frozenVal);
        }
        return new Local(latest.versionId, evaluation.evaluationId, itemsNow, originals, accuracy(seeds), confusions(seeds),
                frozenVal);
    }

    /** Per class, the mean over the seeds of its validation accuracy. */
    static Map<String, Double> accuracy(List<SeedResult> seeds) {
        Map<String, List<Double>> all = new TreeMap<>();
        for (SeedResult s : seeds) {
            if (s.perClass() != null) {
                s.perClass().forEach((c, a) -> all.computeIfAbsent(c, k -> new ArrayList<>()).add(a));
            }
        }
        Map<String, Double> mean = new TreeMap<>();
        all.forEach((c, list) -> mean.put(c, list.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        return mean.isEmpty() ? null : mean;
    }

    /** Off-diagonal cells of the validation confusion matrices, summed over the seeds, largest first. */
    static List<PlanInputs.Confusion> confusions(List<SeedResult> seeds) {
        Map<List<String>, Integer> sum = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
        for (SeedResult s : seeds) {
            if (s.confusion() == null || s.classes() == null) {
                continue;
            }
            for (int i = 0; i < s.confusion().size() && i < s.classes().size(); i++) {
                List<Integer> row = s.confusion().get(i);
                for (int j = 0; j < row.size() && j < s.classes().size(); j++) {
                    if (i != j && row.get(j) != null && row.get(j) > 0) {
                        sum.merge(List.of(s.classes().get(i), s.classes().get(j)), row.get(j), Integer::sum);
                    }
                }
            }
        }
        List<PlanInputs.Confusion> out = new ArrayList<>();
        sum.forEach((k, n) -> out.add(new PlanInputs.Confusion(k.get(0), k.get(1), n)));
        out.sort(Comparator.comparingInt(PlanInputs.Confusion::count).reversed());
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metrics(Evaluation e) {
        try {
            Object m = e.metrics == null ? Map.of() : json.readValue(e.metrics, Object.class);
            return m instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored metrics unreadable", ex);
        }
    }
}
