package dev.loupe.trainer.rest;

import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import dev.loupe.trainer.service.TestFolders;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.util.UUID;

/** A project's test ImageFolder (one sub-folder per class), scored after every run on the project's versions. */
@Path("/api/projects/{id}/test-folder")
@Tag(name = "evaluations")
public class TestFolderResource {

    /** Body of a PUT. */
    public record TestFolderRequest(String path) {
    }

    private final TestFolders folders;
    private final Access access;

    public TestFolderResource(TestFolders folders, Access access) {
        this.folders = folders;
        this.access = access;
    }

    @PUT
    @Operation(summary = "Set the project's test folder {path} (If-Match required: its ETag, or * ): a folder this service "
            + "can read with one sub-folder per class; 422 when its classes differ from the project's")
    public Response put(@RestPath UUID id, TestFolderRequest body, @RestHeader(HttpHeaders.IF_MATCH) String ifMatch) {
        access.require(id, Role.ADMIN);
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON object {path} is required");
        }
        return withEtag(folders.set(id, body.path(), IfMatch.parse(ifMatch), access.actor()));
    }

    @GET
    @Operation(summary = "The project's test folder; its ETag is its version (404 when none is set; the configured "
            + "default may still apply)")
    public Response get(@RestPath UUID id) {
        access.require(id, Role.CURATOR);
        return withEtag(folders.get(id));
    }

    @DELETE
    @Operation(summary = "Stop scoring the project on its own test folder (If-Match required)")
    public Response delete(@RestPath UUID id, @RestHeader(HttpHeaders.IF_MATCH) String ifMatch) {
        access.require(id, Role.ADMIN);
        folders.delete(id, IfMatch.parse(ifMatch));
        return Response.noContent().build();
    }

    private static Response withEtag(TestFolders.TestFolderView view) {
        return Response.ok(view).tag(new EntityTag(String.valueOf(view.version()))).build();
    }
}
