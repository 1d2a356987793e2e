package dev.loupe.dataset.evaluation;

import dev.loupe.dataset.version.VersionService;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.UUID;

/** Evaluations of the reference model on a version: requested here, run by the trainer service. */
@Path("/api/versions/{versionId}/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    private final EvaluationService evaluations;
    private final VersionService versions;
    private final Access access;

    public EvaluationResource(EvaluationService evaluations, VersionService versions, Access access) {
        this.evaluations = evaluations;
        this.versions = versions;
        this.access = access;
    }

    @GET
    @Operation(summary = "Evaluations of the reference model on this version, newest first: status (QUEUED, RUNNING, "
            + "COMPLETED, FAILED, CANCELLED), epoch, metrics {valAccuracy, testAccuracy, perClass, confusion, ...}")
    public List<EvaluationService.EvaluationView> evaluations(@RestPath UUID versionId) {
        access.requireFor("version", versionId, versions.projectOf(versionId), Role.VIEWER);
        return evaluations.list(versionId);
    }

    @POST
    @Operation(summary = "Train and evaluate the reference model on this version {epochs, seed, folds} (all optional; "
            + "folds >= 2 also computes out-of-fold predictions for the label-issue finder): 202 with the queued "
            + "evaluation; the trainer service takes it up. 422 when epochs x (1 + folds) is over the training budget "
            + "(LOUPE_TRAINER_MAX_TRAINING_EPOCHS, 600), 429 when the project already has its quota of evaluations "
            + "queued or running (LOUPE_TRAINER_MAX_ACTIVE_RUNS_PER_PROJECT, 3)")
    public Response evaluate(@RestPath UUID versionId, EvaluationService.Request request) {
        access.requireFor("version", versionId, versions.projectOf(versionId), Role.CURATOR);
        return Response.accepted(evaluations.request(versionId, request, access.actor())).build();
    }
}
