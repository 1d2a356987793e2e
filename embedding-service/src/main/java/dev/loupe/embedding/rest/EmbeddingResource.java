package dev.loupe.embedding.rest;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.embedding.analysis.ItemVector;
import dev.loupe.embedding.api.ClusterView;
import dev.loupe.embedding.api.Finding;
import dev.loupe.embedding.api.FindingsView;
import dev.loupe.embedding.api.FindingsView.AsOf;
import dev.loupe.embedding.api.FindingsView.RegionView;
import dev.loupe.embedding.api.FindingsView.ShiftView;
import dev.loupe.embedding.analysis.Neighbors;
import dev.loupe.embedding.analysis.ProjectSnapshot;
import dev.loupe.embedding.analysis.issues.FailedImage;
import dev.loupe.embedding.analysis.issues.FindingsReport;
import dev.loupe.embedding.analysis.issues.LabelIssue;
import dev.loupe.embedding.analysis.issues.NearDuplicate;
import dev.loupe.embedding.analysis.issues.Outlier;
import dev.loupe.embedding.service.EmbedderHolder;
import dev.loupe.embedding.service.EmbeddingStatusService;
import dev.loupe.embedding.service.ProjectAnalysis;
import dev.loupe.embedding.service.ProjectFindings;
import dev.loupe.embedding.service.ProjectLookup;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** The map in columns: index i of every array is one point. */
    public record MapView(UUID projectId, long mapVersion, List<UUID> itemIds, double[] x, double[] y, List<String> labels,
                          List<String> originalSplits) {
    }

    /** A similar item. */
    public record Neighbor(UUID itemId, double distance, String label, String originalSplit) {
    }

    private final ProjectAnalysis analysis;
    private final EmbedderHolder embedder;
    private final ProjectLookup projects;
    private final EmbeddingStatusService statuses;
    private final Access access;
    private final MapBodies mapBodies;

    public EmbeddingResource(ProjectAnalysis analysis, EmbedderHolder embedder, ProjectLookup projects,
                             EmbeddingStatusService statuses, Access access, MapBodies mapBodies) {
        this.analysis = analysis;
        this.mapBodies = mapBodies;
        this.embedder = embedder;
        this.projects = projects;
        this.statuses = statuses;
        this.access = access;
    }

    @GET
    @Path("/projects/{id}/embeddings/status")
    @Operation(summary = "How many of a project's items are embedded, pending or failed")
    public EmbeddingStatusService.Status status(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        projects.require(id);
        return statuses.status(id);
    }

    @GET
    @Path("/projects/{id}/map")
    @Operation(summary = "2-D UMAP coordinates of every embedded item, in columns",
            description = "Serialized once per change of the project: answers with an ETag (304 for a matching "
                    + "If-None-Match) and gzip for clients that accept it.")
    @APIResponse(responseCode = "200", description = "The map", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MapView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
    public Response map(@RestPath UUID id, @RestHeader("If-None-Match") String ifNoneMatch,
                        @RestHeader("Accept-Encoding") String acceptEncoding) {
        access.require(id, Role.VIEWER);
        projects.require(id);
        return mapBodies.response(id, ifNoneMatch, acceptEncoding);
    }

    @GET
    @Path("/items/{id}/neighbors")
    @Operation(summary = "The most similar items (same style), nearest first")
    public List<Neighbor> neighbors(@RestPath UUID id, @RestQuery String k) {
        FieldErrors errors = new FieldErrors();
        int count = QueryParams.intParam(k, 10, "k", errors);
        errors.check(errors.isEmpty() && (count < 1 || count > MAX_K), "k", "must be between 1 and " + MAX_K).throwIfAny();
        ProjectLookup.ItemState item = projects.item(id).orElseThrow(() -> ProblemException.notFound("item", id));
        access.requireFor("item", id, item.projectId(), Role.VIEWER);
        ProjectSnapshot snapshot = analysis.snapshot(item.projectId());
        Integer row = snapshot.rowOf(id);
        if (row == null) {
            throw ProblemException.conflict("item " + id + " has no vector yet (" + item.status().toLowerCase()
                    + (item.excluded() ? ", excluded" : "") + ")");
        }
        Neighbors near = snapshot.index().nearest(snapshot.index().vector(row), count, row);
        List<Neighbor> result = new ArrayList<>();
        for (int j = 0; j < near.size(); j++) {
            ItemVector other = snapshot.row(near.index()[j]);
            result.add(new Neighbor(other.itemId(), near.distance()[j], other.label(), other.split()));
        }
        return result;
    }

    @GET
    @Path("/projects/{id}/findings")
    @Operation(summary = "Suspected wrong labels, outliers, duplicates, failed images and the train/val shift",
            description = "Computed once per state of the project. A read after a change waits for the new findings "
                    + "(seconds on a large project), unless it passes allowStale=true: then it gets the last computed "
                    + "ones at once while the new ones are computed in the background, and asOf.current says which.")
    public FindingsView findings(@RestPath UUID id, @RestQuery String type, @RestQuery String limit,
                                 @Parameter(description = "true: the last computed findings at once when newer ones "
                                         + "are still being computed (default false: wait for the newest)")
                                 @RestQuery String allowStale) {
        access.require(id, Role.VIEWER);
        FieldErrors errors = new FieldErrors();
        int max = QueryParams.intParam(limit, 500, "limit", errors);
        boolean stale = QueryParams.booleanParam(allowStale, false, "allowStale", errors);
        errors.check(type != null && !TYPES.contains(type), "type", "must be one of " + TYPES)
                .check(errors.isEmpty() && (max < 1 || max > MAX_FINDINGS), "limit", "must be between 1 and " + MAX_FINDINGS)
                .throwIfAny();
        projects.require(id);
        if (!Finding.TYPE_DUPLICATE.equals(type)) {
            analysis.checkModelPredictions(id);
        }
        if (Finding.TYPE_DUPLICATE.equals(type)) {
            // the cheap path the dataset service polls: the k-NN graph only, no classifiers, no shift
            ProjectSnapshot s = analysis.snapshot(id);
            List<Finding> pairs = analysis.duplicates(s).stream().limit(max).map(EmbeddingResource::view).toList();
            return new FindingsView(id, embedder.id(), pairs, null, new AsOf(s.takenAt(), true, false));
        }
        ProjectFindings.Latest latest = analysis.findings(analysis.snapshot(id), stale);
        FindingsReport report = latest.report();
        List<Finding> findings = new ArrayList<>();
        if (type == null || type.equals(Finding.TYPE_LABEL_ISSUE)) {
            report.labelIssues().stream().limit(max).map(EmbeddingResource::view).forEach(findings::add);
        }
        if (type == null || type.equals(Finding.TYPE_OUTLIER)) {
            report.outliers().stream().limit(max).map(EmbeddingResource::view).forEach(findings::add);
        }
        if (type == null || type.equals(Finding.TYPE_DUPLICATE)) {
            report.duplicates().stream().limit(max).map(EmbeddingResource::view).forEach(findings::add);
        }
        if (type == null || type.equals("failed")) {
            analysis.failedImages(id).stream().limit(max).map(EmbeddingResource::view).forEach(findings::add);
        }
        List<RegionView> regions = report.shift().regions().stream()
                .map(r -> new RegionView(r.cluster(), r.train(), r.val(), r.trainShare())).toList();
        return new FindingsView(id, embedder.id(), findings, new ShiftView(report.shift().trainVsValAuc(), regions),
                new AsOf(latest.basis().takenAt(), latest.current(), latest.refreshing()));
    }

    @GET
    @Path("/projects/{id}/clusters")
    @Operation(summary = "Style clusters within each class (k-means on the embeddings)")
    public List<ClusterView> clusters(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        projects.require(id);
        ProjectSnapshot s = analysis.snapshot(id);
        int[] cluster = analysis.clusters(s);
        List<ClusterView> result = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            result.add(new ClusterView(s.row(i).itemId(), s.row(i).label(), cluster[i]));
        }
        return result;
    }

    /** One finding as the API shows it: its kind's name, items, score and the evidence behind it. */
    private static Finding view(dev.loupe.embedding.analysis.issues.Finding finding) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        String type = switch (finding) {
            case LabelIssue issue -> {
                evidence.put(Finding.EVIDENCE_GIVEN_LABEL, issue.givenLabel());
                evidence.put(Finding.EVIDENCE_SUGGESTED_LABEL, issue.suggestedLabel());
                evidence.put("givenLabelProbability", issue.givenLabelProbability());
                evidence.put("suggestedLabelProbability", issue.suggestedLabelProbability());
                evidence.put("neighborAgreement", issue.neighborAgreement());
                evidence.put("signals", issue.signals());
                if (issue.model() != null) {
                    evidence.put("modelLabel", issue.model().label());
                    evidence.put("modelGivenLabelProbability", issue.model().givenLabelProbability());
                    evidence.put("modelSuggestedLabelProbability", issue.model().suggestedLabelProbability());
                    evidence.put("modelEvaluationId", issue.model().evaluationId());
                }
                yield Finding.TYPE_LABEL_ISSUE;
            }
            case Outlier outlier -> {
                evidence.put("reason", outlier.reason().text);
                evidence.put("ink", outlier.ink() == null ? -1 : outlier.ink());
                evidence.put("meanNeighborDistance", outlier.meanNeighborDistance());
                evidence.put("robustZ", outlier.robustZ());
                yield Finding.TYPE_OUTLIER;
            }
            case NearDuplicate pair -> {
                evidence.put("exact", pair.exact());
                evidence.put("distance", pair.distance());
                evidence.put("crossesSplit", pair.crossesSplit());
                evidence.put("splits", (pair.firstSplit() == null ? "none" : pair.firstSplit()) + "/"
                        + (pair.secondSplit() == null ? "none" : pair.secondSplit()));
                yield Finding.TYPE_DUPLICATE;
            }
            case FailedImage failed -> {
                evidence.put("reason", failed.reason());
                yield Finding.TYPE_FAILED;
            }
        };
        return new Finding(type, finding.itemIds(), finding.score(), evidence);
    }
}
