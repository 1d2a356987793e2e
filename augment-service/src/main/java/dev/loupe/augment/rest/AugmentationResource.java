package dev.loupe.augment.rest;

import dev.loupe.augment.service.JobService;
import dev.loupe.augment.service.Owners;
import dev.loupe.augment.service.PreviewService;
import dev.loupe.augment.service.Requests;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.QueryParams;
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
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class AugmentationResource {

    /** Body of a preview: operations, how many results, seed. */
    public record PreviewRequest(List<Map<String, Object>> ops, Integer copies, Long seed) {
    }

    private final JobService jobs;
    private final PreviewService previews;
    private final Owners owners;
    private final Access access;

    public AugmentationResource(JobService jobs, PreviewService previews, Owners owners, Access access) {
        this.jobs = jobs;
        this.previews = previews;
        this.owners = owners;
        this.access = access;
    }

    @POST
    @Path("/projects/{id}/augmentations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an augmentation job: {itemIds | filter:{label, split, source}, ops:[{op, params}], "
            + "copiesPerItem, seed, resultLabel}. 202 with the job; the same Idempotency-Key returns the same job (200)")
    public Response augment(@RestPath UUID id, Requests.Augmentation request, @RestHeader("Idempotency-Key") String key,
                            UriInfo uri) throws IOException, InterruptedException {
        access.require(id, Role.CURATOR);
        return accepted(jobs.augment(id, request, key, access.actor()), uri);
    }

    @POST
    @Path("/projects/{id}/recipes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a recipe job: {label, count, layout, seed, glyphIds} makes count composites of class label "
            + "from the project's glyphs (or the glyphIds given). 202 with the job; Idempotency-Key as for augmentations")
    public Response recipe(@RestPath UUID id, Requests.RecipeRequest request, @RestHeader("Idempotency-Key") String key,
                           UriInfo uri) throws IOException, InterruptedException {
        access.require(id, Role.CURATOR);
        return accepted(jobs.recipe(id, request, key, access.actor()), uri);
    }

    @GET
    @Path("/projects/{id}/augmentations")
    @Operation(summary = "The project's latest 100 jobs (augmentations and recipes), newest first")
    public List<JobService.JobView> list(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        return jobs.list(id);
    }

    @GET
    @Path("/augmentations/{jobId}")
    @Operation(summary = "A job's progress: total, done, failed, pending, the created item ids and the failures")
    public JobService.JobView get(@RestPath UUID jobId) {
        access.requireFor("job", jobId, owners.projectOfJob(jobId), Role.VIEWER);
        return jobs.view(jobId);
    }

    @POST
    @Path("/augmentations/{jobId}/retry")
    @Operation(summary = "Try a finished job's failed images again (same seeds and keys: nothing is made twice)")
    public Response retry(@RestPath UUID jobId) {
        access.requireFor("job", jobId, owners.projectOfJob(jobId), Role.CURATOR);
        return Response.accepted(jobs.retry(jobId)).build();
    }

    @GET
    @Path("/augmentations/{jobId}/contact-sheet")
    @Produces({"image/png", MediaType.APPLICATION_JSON})
    @Operation(summary = "PNG of what the job made: per parent item a row with the parent, then its new images "
            + "(recipes: the composites, 8 per row)")
    public Response sheet(@RestPath UUID jobId, @RestQuery String rows) throws IOException, InterruptedException {
        access.requireFor("job", jobId, owners.projectOfJob(jobId), Role.VIEWER);
        FieldErrors errors = new FieldErrors();
        int n = QueryParams.intParam(rows, 10, "rows", errors);
        errors.throwIfAny();
        return Response.ok(previews.jobSheet(jobId, n), "image/png").build();
    }

    @POST
    @Path("/items/{itemId}/augment-preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({"image/png", MediaType.APPLICATION_JSON})
    @Operation(summary = "PNG row: the item, then copies results of ops (creates nothing). Same seeds as a job with that seed")
    public Response preview(@RestPath UUID itemId, PreviewRequest request) throws IOException, InterruptedException {
        owners.requireItem(itemId, "itemId", Role.CURATOR);
        if (request == null) throw dev.loupe.common.rest.ProblemException.badRequest("body", "a JSON object {ops, copies, seed} is required");
        return Response.ok(previews.preview(itemId, request.ops(), request.copies(), request.seed()), "image/png").build();
    }

    private static Response accepted(JobService.Accepted accepted, UriInfo uri) {
        URI location = uri.getBaseUriBuilder().path("api/augmentations").path(accepted.job().jobId().toString()).build();
        return (accepted.created() ? Response.accepted(accepted.job()) : Response.ok(accepted.job()))
                .location(location).build();
    }
}
