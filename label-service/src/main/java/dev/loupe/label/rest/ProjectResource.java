package dev.loupe.label.rest;

import dev.loupe.label.api.ProjectView;
import dev.loupe.label.service.ProjectService;
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

    public ProjectResource(ProjectService projects) {
        this.projects = projects;
    }

    @POST
    @Path("/projects")
    @Operation(summary = "Create a project with its classes")
    public Response create(CreateProject request, UriInfo uri) {
        if (request == null) {
            throw dev.loupe.common.rest.ProblemException.badRequest("body", "a JSON object {name, classes} is required");
        }
        ProjectView project = projects.create(request.name(), request.classes());
        return Response.created(uri.getBaseUriBuilder().path("api/projects").path(project.id().toString()).build())
                .entity(project).build();
    }

    @GET
    @Path("/projects")
    @Operation(summary = "List projects")
    public List<ProjectView> list() {
        return projects.list();
    }

    @GET
    @Path("/projects/{id}")
    @Operation(summary = "One project")
    public ProjectView get(@RestPath UUID id) {
        return projects.get(id);
    }
}
