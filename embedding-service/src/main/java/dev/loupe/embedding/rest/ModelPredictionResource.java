package dev.loupe.embedding.rest;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.embedding.api.PredictionSet;
import dev.loupe.embedding.api.PredictionSet.ItemPrediction;
import dev.loupe.embedding.service.ModelPredictions;
import dev.loupe.embedding.service.ProjectAnalysis;
import dev.loupe.embedding.service.ProjectLookup;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A trained model's out-of-fold class probabilities per item (the trainer service sends them after a k-fold run):
 * the label-issue finder blends them with its own embedding classifier's, a second and stronger signal.
 */
@Path("/api/projects/{id}/model-predictions")
@Tag(name = "embeddings")
public class ModelPredictionResource {

    public static final int MAX_ITEMS = 200_000;
    public static final int MAX_CLASSES = 1000;

    private final ModelPredictions predictions;
    private final ProjectAnalysis analysis;
    private final ProjectLookup projects;
    private final Access access;

    public ModelPredictionResource(ModelPredictions predictions, ProjectAnalysis analysis, ProjectLookup projects,
                                   Access access) {
        this.predictions = predictions;
        this.analysis = analysis;
        this.projects = projects;
        this.access = access;
    }

    @PUT
    @Operation(summary = "Replace the project's model predictions {versionId, evaluationId, model, classes, items: "
            + "[{itemId, probabilities}]}: out-of-fold probabilities the label-issue finder blends with its own "
            + "(the trainer service only)")
    public ModelPredictions.Summary put(@RestPath UUID id, PredictionSet body) {
        access.requireService("trainer");
        FieldErrors errors = new FieldErrors();
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON object {versionId, evaluationId, model, classes, items} is required");
        }
        List<String> classes = body.classes();
        errors.check(classes == null || classes.size() < 2 || classes.size() > MAX_CLASSES, "classes",
                "must list between 2 and " + MAX_CLASSES + " class names");
        if (classes != null) {
            errors.check(classes.stream().anyMatch(c -> c == null || c.isBlank()), "classes", "must not hold blank names")
                    .check(new HashSet<>(classes).size() != classes.size(), "classes", "must not repeat a name");
        }
        errors.check(body.items() == null || body.items().isEmpty() || body.items().size() > MAX_ITEMS, "items",
                "must hold between 1 and " + MAX_ITEMS + " items");
        errors.check(body.model() != null && body.model().length() > 200, "model", "must be at most 200 characters");
        errors.throwIfAny();
        Set<UUID> known = projects.itemIds(id);
        if (known.isEmpty()) {
            throw ProblemException.notFound("project", id);
        }
        Map<UUID, float[]> rows = new LinkedHashMap<>();
        for (int i = 0; i < body.items().size() && errors.isEmpty(); i++) {
            ItemPrediction item = body.items().get(i);
            String at = "items[" + i + "]";
            if (item == null || item.itemId() == null) {
                errors.add(at + ".itemId", "is required");
                continue;
            }
            errors.check(!known.contains(item.itemId()), at + ".itemId", "item " + item.itemId() + " is not in project " + id)
                    .check(rows.containsKey(item.itemId()), at + ".itemId", "item " + item.itemId() + " is listed twice");
            float[] p = item.probabilities();
            if (p == null || p.length != classes.size()) {
                errors.add(at + ".probabilities", "must hold one probability per class (" + classes.size() + ")");
                continue;
            }
            double sum = 0;
            boolean inRange = true;
            for (float v : p) {
                inRange &= Float.isFinite(v) && v >= 0 && v <= 1;
                sum += v;
            }
            errors.check(!inRange, at + ".probabilities", "must be numbers between 0 and 1")
                    .check(inRange && Math.abs(sum - 1) > 0.01, at + ".probabilities", "must sum to 1, got " + sum);
            rows.put(item.itemId(), p);
        }
        errors.throwIfAny();
        ModelPredictions.Summary summary = predictions.replace(id, body.versionId(), body.evaluationId(),
                body.model() == null ? "model" : body.model(), classes, rows);
        analysis.checkModelPredictions(id);
        return summary;
    }

    @GET
    @Operation(summary = "Which model predictions the label-issue finder uses for this project (404 when none)")
    public ModelPredictions.Summary get(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        return predictions.summary(id).orElseThrow(() -> ProblemException.notFound("model predictions of project", id));
    }

    @DELETE
    @Operation(summary = "Stop using model predictions for this project: the finder goes back to the embeddings alone "
            + "(project admins)")
    public Response delete(@RestPath UUID id) {
        access.require(id, Role.ADMIN);
        if (!predictions.delete(id)) {
            throw ProblemException.notFound("model predictions of project", id);
        }
        analysis.checkModelPredictions(id);
        return Response.noContent().build();
    }
}
