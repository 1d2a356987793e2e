package dev.loupe.label.rest;

import dev.loupe.label.api.ProjectView;
import dev.loupe.label.service.ProjectService;
import dev.loupe.security.Access;
import dev.loupe.security.Caller;
import dev.loupe.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.UUID;

@Path("/api")
@Tag(name = "projects")
public class ProjectResource {

    /** A request to create a project. */
    public record CreateProject(String name, List<String> classes) {
    }

    private final ProjectService projects;
    private final Access access;

    public ProjectResource(ProjectService projects, Access access) {
        this.projects = projects;
        this.access = access;
    }

    @POST
    @Path("/projects")
    @Operation(summary = "Create a project with its classes (Loupe administrators; the creator becomes its admin)")
    public Response create(CreateProject request, UriInfo uri) {
        access.requireGlobalAdmin();
        if (request == null) {
            throw dev.loupe.common.rest.ProblemException.badRequest("body", "a JSON object {name, classes} is required");
        }
        ProjectView project = projects.create(request.name(), request.classes(), access.caller().userId().orElse(null));
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

    @GET
    @Path("/projects/{id}")
    @Operation(summary = "One project")
    public ProjectView get(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        return projects.get(id);
    }
}
