package dev.loupe.trainer.rest;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import dev.loupe.trainer.service.RunService;
import dev.loupe.trainer.service.TrainingWorker;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;
import java.util.UUID;

/**
 * The trainer's own view of its runs: everything the dataset service shows per version plus the epoch-by-epoch
 * history and the out-of-fold predictions. Runs are started by events (a published version, or {@code POST
 * /api/versions/{v}/evaluations} at the dataset service) and cancelled here.
 */
@Path("/api/evaluations")
@Tag(name = "evaluations")
public class EvaluationResource {

    static final int MAX_LIST = 500;

    private final RunService runs;
    private final TrainingWorker worker;
    private final Access access;

    public EvaluationResource(RunService runs, TrainingWorker worker, Access access) {
        this.runs = runs;
        this.worker = worker;
        this.access = access;
    }

    @GET
    @Operation(summary = "Runs of a version (versionId) or of a project (projectId), newest first")
    public List<RunService.RunView> list(@RestQuery String versionId, @RestQuery String projectId, @RestQuery String limit) {
        FieldErrors errors = new FieldErrors();
        UUID version = QueryParams.uuidParam(versionId, "versionId", errors);
        UUID project = QueryParams.uuidParam(projectId, "projectId", errors);
        int max = QueryParams.intParam(limit, 50, "limit", errors);
        errors.check(errors.isEmpty() && version == null && project == null, "versionId", "versionId or projectId is required")
                .check(errors.isEmpty() && (max < 1 || max > MAX_LIST), "limit", "must be between 1 and " + MAX_LIST)
                .throwIfAny();
        if (version == null) {
            access.require(project, Role.VIEWER);
        }
        // the runs of a version all belong to its project: for a caller who may not see it the list is empty
        return runs.list(version, project, max).stream().filter(run -> access.sees(run.projectId())).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run: status, epoch, metrics (valAccuracy, testAccuracy, perClass, confusion, ...) and the "
            + "per-epoch history (loss, accuracies, seconds)")
    public RunService.RunView get(@RestPath UUID id) {
        access.requireFor("evaluation", id, runs.projectOf(id), Role.VIEWER);
        return runs.get(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a queued or running run: it is CANCELLED at once (never retried) and its training stops "
            + "within a batch on this replica, within an epoch on another; 200 with the run, 404 unknown, 409 when it "
            + "has already ended")
    public RunService.RunView cancel(@RestPath UUID id) {
        access.requireFor("evaluation", id, runs.projectOf(id), Role.CURATOR);
        RunService.RunView cancelled = runs.cancel(id, access.actor());
        worker.cancel(id); // after the commit: the training thread sees the flag before its next batch
        return cancelled;
    }

    @GET
    @Path("/{id}/predictions")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The run's out-of-fold predictions {classes, folds, items: [{itemId, label, fold, "
            + "probabilities}]} (404 when the run did not compute them)")
    public String predictions(@RestPath UUID id) {
        access.requireFor("evaluation", id, runs.projectOf(id), Role.VIEWER);
        return runs.predictions(id);
    }
}
