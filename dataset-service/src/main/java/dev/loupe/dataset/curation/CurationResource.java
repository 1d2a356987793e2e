package dev.loupe.dataset.curation;

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

/** Curation plans: the next actions proposed from the project's evaluation, findings and counts, and applying them. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class CurationResource {

    private final CurationService plans;
    private final PlanApplier applier;
    private final Access access;

    public CurationResource(CurationService plans, PlanApplier applier, Access access) {
        this.plans = plans;
        this.applier = applier;
        this.access = access;
    }

    @POST
    @Path("/projects/{id}/curation-plans")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Propose a curation plan {budget (default 10000), minConfidence (default 0.9)}: exclude strong "
            + "outliers, accept confident label-issue suggestions, name the rest for review, and spend the image budget on "
            + "copies and composites where the latest evaluation is weakest; each action with its evidence. 201 with the "
            + "plan; 422 naming budget (below the project's items or over loupe.curation.max-budget) or minConfidence")
    public Response create(@RestPath UUID id, CurationService.CreateRequest request, UriInfo uri) {
        access.require(id, Role.CURATOR);
        CurationService.PlanView plan = plans.create(id, request, access.actor());
        return Response.created(uri.getBaseUriBuilder().path("api/curation-plans").path(plan.planId().toString()).build())
                .entity(plan).build();
    }

    @GET
    @Path("/projects/{id}/curation-plans")
    @Operation(summary = "The project's curation plans, newest first")
    public List<CurationService.PlanView> list(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        return plans.list(id);
    }

    @GET
    @Path("/curation-plans/{planId}")
    @Operation(summary = "One plan: its actions, status (PROPOSED, APPLYING, APPLIED, FAILED), the progress of applying "
            + "it, the version and evaluation it made, and once that evaluation completed its effect: the comparison "
            + "against the version the plan was based on")
    public CurationService.PlanView get(@RestPath UUID planId) {
        access.requireFor("plan", planId, plans.projectOf(planId), Role.VIEWER);
        return plans.get(planId);
    }

    @POST
    @Path("/curation-plans/{planId}/apply")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Apply a PROPOSED plan {epochs, repeats, seed, actions (indices; default every auto action)}: "
            + "202, then in the background the actions run, the split takes them in, a version \"plan n of project\" is "
            + "made and its evaluation queued. 409 when the plan is not PROPOSED; 422 naming the field for an unknown or "
            + "REVIEW action or an evaluation over the quota (repeats x epochs, as evaluations)")
    public Response apply(@RestPath UUID planId, CurationService.ApplyRequest request) {
        access.requireFor("plan", planId, plans.projectOf(planId), Role.CURATOR);
        plans.apply(planId, request, access.actor());
        applier.start(planId);
        return Response.accepted(plans.get(planId)).build();
    }
}
