package dev.loupe.label.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.label.api.ProjectView;
import dev.loupe.label.service.ProjectService;
import dev.loupe.security.Access;
import dev.loupe.security.Caller;
import dev.loupe.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.UUID;

@Path("/api")
@Tag(name = "projects")
public class ProjectResource {

    /** A request to create a project; {@code copyImages} is optional (default false, see {@link ProjectView}). */
    public record CreateProject(String name, List<String> classes, Boolean copyImages) {
    }

    /** A change of a project's settings: the fields given change, the others stay. */
    public record UpdateProject(Boolean copyImages) {
    }

    private final ProjectService projects;
    private final Access access;
    private final ObjectMapper json;

    public ProjectResource(ProjectService projects, Access access, ObjectMapper json) {
        this.projects = projects;
        this.access = access;
        this.json = json;
    }

    @POST
    @Path("/projects")
    @Operation(summary = "Create a project with its classes (Loupe administrators; the creator becomes its admin)")
    public Response create(CreateProject request, UriInfo uri) {
        access.requireGlobalAdmin();
        if (request == null) {
            throw dev.loupe.common.rest.ProblemException.badRequest("body", "a JSON object {name, classes} is required");
        }
        ProjectView project = projects.create(request.name(), request.classes(),
                Boolean.TRUE.equals(request.copyImages()), access.caller().userId().orElse(null));
        return Response.created(uri.getBaseUriBuilder().path("api/projects").path(project.id().toString()).build())
                .entity(project).build();
    }

    @GET
    @Path("/projects")
    @Operation(summary = "The projects you are a member of (every project for administrators and services)")
    public List<ProjectView> list() {
        Caller caller = access.caller();
        return caller.seesAll() ? projects.list() : projects.list(caller.memberships().keySet());
    }

    @PATCH
    @Path("/projects/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a project's settings (copyImages); name and classes do not change")
    public ProjectView update(@RestPath UUID id, @RequestBody(content = @Content(schema = @Schema(implementation = UpdateProject.class))) JsonNode body) throws JsonProcessingException {
        access.require(id, Role.ADMIN);
        UpdateProject request = StrictJson.read(json, body, UpdateProject.class, "");
        if (request.copyImages() == null) {
            throw dev.loupe.common.rest.ProblemException.unprocessable("copyImages",
                    "required: true to copy images imported by reference into this deployment's store, false to leave them in their bucket");
        }
        return projects.setCopyImages(id, request.copyImages());
    }

    @GET
    @Path("/projects/{id}")
    @Operation(summary = "One project")
    public ProjectView get(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        return projects.get(id);
    }
}
