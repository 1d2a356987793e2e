package dev.loupe.label.rest;

import dev.loupe.label.service.BlobMigrationService;
import dev.loupe.label.service.BlobMigrationView;
import dev.loupe.security.Access;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.util.UUID;

/**
 * Moves of images between blob stores ({@code ./loupe blobs migrate}): a deployment-wide operation, since an image
 * several projects show is one copy, so only a Loupe administrator may start or watch one.
 */
@Path("/api/blob-migrations")
@Tag(name = "blob migrations")
public class BlobMigrationResource {

    /** Where to move the images ({@code postgres} or {@code s3}) and whose: one project's, or every image when absent. */
    public record MigrationRequest(String to, UUID projectId) {
    }

    private final BlobMigrationService migrations;
    private final Access access;

    public BlobMigrationResource(BlobMigrationService migrations, Access access) {
        this.migrations = migrations;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a project's images (or every image) to another blob store while readers keep reading; "
            + "answers 202 with the job")
    public Response start(MigrationRequest request, UriInfo uri) {
        access.requireGlobalAdmin();
        MigrationRequest body = request == null ? new MigrationRequest(null, null) : request;
        BlobMigrationView job = migrations.start(body.to(), body.projectId(), access.actor());
        return Response.accepted(job)
                .location(uri.getBaseUriBuilder().path("api/blob-migrations").path(job.migrationId().toString()).build())
                .build();
    }

    @GET
    @Path("/{migrationId}")
    @Operation(summary = "Progress of a blob migration: moved, skipped, failed (with reasons)")
    public BlobMigrationView get(@RestPath UUID migrationId) {
        access.requireGlobalAdmin();
        return migrations.get(migrationId);
    }
}
