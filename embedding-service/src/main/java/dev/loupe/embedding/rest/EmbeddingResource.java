package dev.loupe.embedding.rest;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.embedding.api.ClusterView;
import dev.loupe.embedding.api.Finding;
import dev.loupe.embedding.api.FindingsView;
import dev.loupe.embedding.api.FindingsView.RegionView;
import dev.loupe.embedding.api.FindingsView.ShiftView;
import dev.loupe.embedding.analysis.Duplicates;
import dev.loupe.embedding.analysis.InkMeter;
import dev.loupe.embedding.analysis.LabelIssues;
import dev.loupe.embedding.analysis.Neighbors;
import dev.loupe.embedding.analysis.Outliers;
import dev.loupe.embedding.client.LabelServiceClient;
import dev.loupe.embedding.domain.EmbeddedItem;
import dev.loupe.embedding.domain.ProjectState;
import dev.loupe.embedding.service.EmbedderHolder;
import dev.loupe.embedding.service.ProjectAnalysis;
import dev.loupe.embedding.service.VectorStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

@Path("/api")
@Tag(name = "embeddings")
public class EmbeddingResource {

    static final int MAX_K = 200;
    static final int MAX_FINDINGS = 5000;
    private static final Set<String> TYPES = Set.of(Finding.TYPE_LABEL_ISSUE, Finding.TYPE_OUTLIER, Finding.TYPE_DUPLICATE,
            Finding.TYPE_FAILED);

    /** How far embedding has got in a project. */
    public record Status(UUID projectId, long items, long embedded, long pending, long failed, String embedder,
                         long lastEventApplied) {
    }

    /** The map in columns: index i of every array is one point. */
    public record MapView(UUID projectId, long mapVersion, List<UUID> itemIds, double[] x, double[] y, List<String> labels,
                          List<String> originalSplits) {
    }

    /** A similar item. */
    public record Neighbor(UUID itemId, double distance, String label, String originalSplit) {
    }

    private final ProjectAnalysis analysis;
    private final EmbedderHolder embedder;
    private final LabelServiceClient labels;

    public EmbeddingResource(ProjectAnalysis analysis, EmbedderHolder embedder, LabelServiceClient labels) {
        this.analysis = analysis;
        this.embedder = embedder;
        this.labels = labels;
    }

    @GET
    @Path("/projects/{id}/embeddings/status")
    @Operation(summary = "How many of a project's items are embedded, pending or failed")
    public Status status(@RestPath UUID id) {
        requireProject(id);
        long pending = EmbeddedItem.count("projectId = ?1 and not excluded and status = ?2", id, EmbeddedItem.Status.PENDING);
        long embedded = EmbeddedItem.count("projectId = ?1 and not excluded and status = ?2", id, EmbeddedItem.Status.EMBEDDED);
        long failed = EmbeddedItem.count("projectId = ?1 and not excluded and status = ?2", id, EmbeddedItem.Status.FAILED);
        ProjectState state = ProjectState.findById(id);
        return new Status(id, pending + embedded + failed, embedded, pending, failed, embedder.id(),
                state == null ? 0 : state.labelsSeen);
    }

    @GET
    @Path("/projects/{id}/map")
    @Operation(summary = "2-D UMAP coordinates of every embedded item, in columns")
    public MapView map(@RestPath UUID id) {
        requireProject(id);
        ProjectAnalysis.Snapshot snapshot = analysis.snapshot(id);
        ProjectAnalysis.MapLayout layout = analysis.map(id);
        int n = snapshot.rows.size();
        List<UUID> ids = new ArrayList<>(n);
        List<String> labelList = new ArrayList<>(n);
        List<String> splits = new ArrayList<>(n);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            VectorStore.Row row = snapshot.rows.get(i);
            double[] p = layout.positions().getOrDefault(row.itemId(), new double[]{0, 0});
            ids.add(row.itemId());
            labelList.add(row.label());
            splits.add(row.split());
            x[i] = p[0];
            y[i] = p[1];
        }
        return new MapView(id, layout.version(), ids, x, y, labelList, splits);
    }

    @GET
    @Path("/items/{id}/neighbors")
    @Operation(summary = "The most similar items (same style), nearest first")
    public List<Neighbor> neighbors(@RestPath UUID id, @RestQuery String k) {
        FieldErrors errors = new FieldErrors();
        int count = QueryParams.intParam(k, 10, "k", errors);
        errors.check(errors.isEmpty() && (count < 1 || count > MAX_K), "k", "must be between 1 and " + MAX_K).throwIfAny();
        EmbeddedItem item = EmbeddedItem.findById(id);
        if (item == null) {
            throw ProblemException.notFound("item", id);
        }
        ProjectAnalysis.Snapshot snapshot = analysis.snapshot(item.projectId);
        Integer row = snapshot.rowOf.get(id);
        if (row == null) {
            throw ProblemException.conflict("item " + id + " has no vector yet (" + item.status.name().toLowerCase()
                    + (item.excluded ? ", excluded" : "") + ")");
        }
        Neighbors near = snapshot.index.nearest(snapshot.index.vector(row), count, row);
        List<Neighbor> result = new ArrayList<>();
        for (int j = 0; j < near.size(); j++) {
            VectorStore.Row other = snapshot.rows.get(near.index()[j]);
            result.add(new Neighbor(other.itemId(), near.distance()[j], other.label(), other.split()));
        }
        return result;
    }

    @GET
    @Path("/projects/{id}/findings")
    @Operation(summary = "Suspected wrong labels, outliers, duplicates, failed images and the train/val shift")
    public FindingsView findings(@RestPath UUID id, @RestQuery String type, @RestQuery String limit) {
        FieldErrors errors = new FieldErrors();
        int max = QueryParams.intParam(limit, 500, "limit", errors);
        errors.check(type != null && !TYPES.contains(type), "type", "must be one of " + TYPES)
                .check(errors.isEmpty() && (max < 1 || max > MAX_FINDINGS), "limit", "must be between 1 and " + MAX_FINDINGS)
                .throwIfAny();
        requireProject(id);
        if (!"duplicate".equals(type)) {
            analysis.checkModelPredictions(id);
        }
        ProjectAnalysis.Snapshot s = analysis.snapshot(id);
        if ("duplicate".equals(type)) {
            // the cheap path the dataset service polls: the k-NN graph only, no classifiers, no shift
            List<Finding> pairs = s.duplicates().stream().limit(max).map(pair -> duplicate(s, pair)).toList();
            return new FindingsView(id, embedder.id(), pairs, null);
        }
        ProjectAnalysis.Findings f = s.findings();
        List<Finding> findings = new ArrayList<>();
        if (type == null || type.equals("label-issue")) {
            f.labelIssues().stream().limit(max).forEach(issue -> findings.add(labelIssue(s, f, issue)));
        }
        if (type == null || type.equals("outlier")) {
            outliers(s, f).stream().limit(max).forEach(findings::add);
        }
        if (type == null || type.equals("duplicate")) {
            f.duplicates().stream().limit(max).forEach(pair -> findings.add(duplicate(s, pair)));
        }
        if (type == null || type.equals("failed")) {
            EmbeddedItem.<EmbeddedItem>list("projectId = ?1 and status = ?2", id, EmbeddedItem.Status.FAILED).stream()
                    .limit(max).forEach(item -> findings.add(new Finding("failed", List.of(item.itemId), 1.0,
                            Map.of("reason", item.error == null ? "" : item.error))));
        }
        List<RegionView> regions = java.util.Arrays.stream(f.regions())
                .map(r -> new RegionView(r.cluster(), r.train(), r.val(), r.trainShare())).toList();
        return new FindingsView(id, embedder.id(), findings, new ShiftView(f.shiftAuc(), regions));
    }

    @GET
    @Path("/projects/{id}/clusters")
    @Operation(summary = "Style clusters within each class (k-means on the embeddings)")
    public List<ClusterView> clusters(@RestPath UUID id) {
        requireProject(id);
        ProjectAnalysis.Snapshot s = analysis.snapshot(id);
        int[] cluster = s.clusters();
        List<ClusterView> result = new ArrayList<>(s.rows.size());
        for (int i = 0; i < s.rows.size(); i++) {
            result.add(new ClusterView(s.rows.get(i).itemId(), s.rows.get(i).label(), cluster[i]));
        }
        return result;
    }

    /**
     * Blank and mostly dark pages first (from pixels; score 100 + ink distance from normal), then images far from
     * all their neighbours (robust z of the mean neighbour distance at least 3.5).
     */
    private static List<Finding> outliers(ProjectAnalysis.Snapshot s, ProjectAnalysis.Findings f) {
        List<Finding> result = new ArrayList<>();
        for (Outliers.Score o : f.outliers()) {
            VectorStore.Row row = s.rows.get(o.row());
            Double ink = row.ink();
            String reason = ink == null ? null : ink < InkMeter.BLANK ? "blank" : ink > InkMeter.DARK ? "mostly dark" : null;
            if (reason != null) {
                double score = 100 + (reason.equals("blank") ? InkMeter.BLANK - ink : ink - InkMeter.DARK);
                result.add(new Finding("outlier", List.of(row.itemId()), score, Map.of("reason", reason, "ink", ink,
                        "meanNeighborDistance", o.meanDistance(), "robustZ", o.robustZ())));
            } else if (o.robustZ() >= 3.5) {
                result.add(new Finding("outlier", List.of(row.itemId()), o.robustZ(), Map.of("reason", "far from its neighbours",
                        "ink", ink == null ? -1 : ink, "meanNeighborDistance", o.meanDistance(), "robustZ", o.robustZ())));
            }
        }
        result.sort(Comparator.comparingDouble(Finding::score).reversed());
        return result;
    }

    private static Finding labelIssue(ProjectAnalysis.Snapshot s, ProjectAnalysis.Findings f, LabelIssues.Issue issue) {
        Map<String, Object> evidence = new java.util.LinkedHashMap<>();
        evidence.put(Finding.EVIDENCE_GIVEN_LABEL, f.classes().get(issue.given()));
        evidence.put(Finding.EVIDENCE_SUGGESTED_LABEL, f.classes().get(issue.suggested()));
        evidence.put("givenLabelProbability", issue.selfConfidence());
        evidence.put("suggestedLabelProbability", issue.suggestedProbability());
        evidence.put("neighborAgreement", issue.neighborAgreement());
        double[] model = f.model() == null ? null : f.model()[issue.row()];
        // which predictions the probabilities came from: the embedding classifier alone, or blended with the model's
        evidence.put("signals", model == null ? List.of("embeddings") : List.of("embeddings", "model"));
        if (model != null) {
            int top = 0;
            for (int c = 1; c < model.length; c++) {
                top = model[c] > model[top] ? c : top;
            }
            evidence.put("modelLabel", f.classes().get(top));
            evidence.put("modelGivenLabelProbability", model[issue.given()]);
            evidence.put("modelSuggestedLabelProbability", model[issue.suggested()]);
            evidence.put("modelEvaluationId", f.modelSource().evaluationId());
        }
        return new Finding("label-issue", List.of(s.rows.get(issue.row()).itemId()), issue.confidence(), evidence);
    }

    private static Finding duplicate(ProjectAnalysis.Snapshot s, Duplicates.Pair pair) {
        VectorStore.Row a = s.rows.get(pair.a());
        VectorStore.Row b = s.rows.get(pair.b());
        boolean crossesSplit = a.split() != null && b.split() != null && !a.split().equals(b.split());
        return new Finding("duplicate", List.of(a.itemId(), b.itemId()), 1.0 - pair.distance(), Map.of(
                "exact", pair.exact(), "distance", pair.distance(), "crossesSplit", crossesSplit,
                "splits", (a.split() == null ? "none" : a.split()) + "/" + (b.split() == null ? "none" : b.split())));
    }

    private void requireProject(UUID id) {
        if (EmbeddedItem.count("projectId", id) > 0 || ProjectState.findById(id) != null) {
            return;
        }
        try {
            if (!labels.projectExists(id)) {
                throw ProblemException.notFound("project", id);
            }
        } catch (IOException e) {
            throw new ProblemException(503, "Service Unavailable", "cannot ask the label service about project " + id
                    + ": " + e.getMessage(), List.of());
        }
    }
}
