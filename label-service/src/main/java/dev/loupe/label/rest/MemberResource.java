package dev.loupe.label.rest;

import dev.loupe.label.auth.MemberService;
import dev.loupe.label.service.ProjectService;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.UUID;

/** A project's members and their roles. */
@Path("/api/projects/{id}/members")
@Tag(name = "projects")
public class MemberResource {

    private final MemberService members;
    private final ProjectService projects;
    private final Access access;

    public MemberResource(MemberService members, ProjectService projects, Access access) {
        this.members = members;
        this.projects = projects;
        this.access = access;
    }

    @GET
    @Operation(summary = "The project's members and roles (viewer)")
    public List<MemberService.Member> list(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        projects.requireExists(id);
        return members.members(id);
    }

    @PUT
    @Operation(summary = "Replace the project's members: [{username, role}] with role viewer, annotator, curator or admin (admin)")
    public List<MemberService.Member> replace(@RestPath UUID id, List<MemberService.MemberRole> request) {
        access.require(id, Role.ADMIN);
        projects.requireExists(id);
        return members.replace(id, request);
    }
}
