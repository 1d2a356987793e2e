package dev.loupe.dataset.curation.run;

import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.UUID;

/** Automatic curation runs: rounds of plan, version and evaluation without human decisions, keeping the best version. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class CurationRunResource {

    private final CurationRunService runs;
    private final CurationRunWorker worker;
    private final Access access;

    public CurationRunResource(CurationRunService runs, CurationRunWorker worker, Access access) {
        this.runs = runs;
        this.worker = worker;
        this.access = access;
    }

    @POST
    @Path("/projects/{id}/curation-runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an automatic curation run {budget, rounds (1-10, default 3), epochs, repeats, seed, "
            + "minConfidence}: 202, then in the background each round proposes a plan (as the caller), applies all its "
            + "automatic actions, awaits the version's evaluation and compares the version with the best so far (the first "
            + "round with the plan's base version); it stops early when a plan has no automatic action. 422 naming budget "
            + "(as plans), rounds, minConfidence, a negative seed, epochs or repeats, or rounds, repeats and epochs when rounds x repeats x "
            + "epochs is over the evaluation quota; 409 when the project already has an active run")
    public Response start(@RestPath UUID id, CurationRunService.StartRequest request, UriInfo uri) {
        access.require(id, Role.CURATOR);
        CurationRunService.RunView run = runs.start(id, request, access.actor());
        worker.wake();
        return Response.accepted(run)
                .location(uri.getBaseUriBuilder().path("api/curation-runs").path(run.runId().toString()).build()).build();
    }

    @GET
    @Path("/projects/{id}/curation-runs")
    @Operation(summary = "The project's curation runs, newest first")
    public List<CurationRunService.RunView> list(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        return runs.list(id);
    }

    @GET
    @Path("/curation-runs/{runId}")
    @Operation(summary = "One run: status (QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED), the step it is at, its "
            + "settings, every round (plan, version, evaluation, validation and test accuracy as mean and sd over the "
            + "seeds, verdict against the best version before it and why), the best version and why it failed")
    public CurationRunService.RunView get(@RestPath UUID runId) {
        access.requireFor("run", runId, runs.projectOf(runId), Role.VIEWER);
        return runs.get(runId);
    }

    @POST
    @Path("/curation-runs/{runId}/cancel")
    @Operation(summary = "Cancel a QUEUED or RUNNING run: 200 CANCELLED; no further step is taken (a plan being applied "
            + "finishes; an evaluation already queued is left to the trainer, which cancels it at "
            + "POST /api/evaluations/{id}/cancel). 409 for a finished run")
    public CurationRunService.RunView cancel(@RestPath UUID runId) {
        access.requireFor("run", runId, runs.projectOf(runId), Role.CURATOR);
        CurationRunService.RunView run = runs.cancel(runId, access.actor());
        worker.wake();
        return run;
    }
}
