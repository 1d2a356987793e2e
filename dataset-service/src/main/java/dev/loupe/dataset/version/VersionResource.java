package dev.loupe.dataset.version;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.dataset.api.DatasetApi;
import dev.loupe.dataset.config.DatasetConfig;
import dev.loupe.dataset.split.CatchUp;
import dev.loupe.dataset.split.SplitService;
import dev.loupe.dataset.version.VersionService.VersionView;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;
import java.util.Set;
import java.util.UUID;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

    /** Body of a version request. */
    public record CreateVersion(String name, String note) {
    }

    private static final Set<String> FORMATS = Set.of(DatasetApi.FORMAT_IMAGEFOLDER, DatasetApi.FORMAT_CSV);

    private final VersionService versions;
    private final SplitService splits;
    private final Exporter exporter;
    private final DatasetConfig config;
    private final Access access;

    public VersionResource(VersionService versions, SplitService splits, Exporter exporter, DatasetConfig config,
                           Access access) {
        this.config = config;
        this.access = access;
        this.versions = versions;
        this.splits = splits;
        this.exporter = exporter;
    }

    @POST
    @Path("/projects/{id}/versions")
    @Operation(summary = "Freeze the project's items, labels, image hashes and split into an immutable version. With "
            + "itemId (+ minVersion) or minLabelsSeen, first waits (at most wait seconds) until the split includes that "
            + "change, and answers 409 if it does not in time")
    public Response create(@RestPath UUID id, CreateVersion request,
                           @RestQuery String minLabelsSeen, @RestQuery String itemId, @RestQuery String minVersion,
                           @RestQuery String wait, UriInfo uri) throws InterruptedException {
        access.require(id, Role.CURATOR);
        FieldErrors errors = new FieldErrors();
        CatchUp catchUp = CatchUp.parse(minLabelsSeen, itemId, minVersion, wait, config.maxWait(), errors);
        errors.throwIfAny();
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {name, note} is required");
        }
        if (catchUp.requested()) {
            SplitService.SplitView split = splits.await(id, catchUp.minLabelsSeen(), catchUp.itemId(),
                    catchUp.minVersion(), catchUp.timeout());
            if (!Boolean.TRUE.equals(split.reached())) {
                throw ProblemException.conflict(catchUp.field(), "the split has not included that change within "
                        + catchUp.timeout().toSeconds() + " s (it has seen label events up to " + split.labelsSeen()
                        + "); nothing was created, try again");
            }
        }
        VersionView version = versions.create(id, request.name(), request.note(), access.actor());
        return Response.created(uri.getBaseUriBuilder().path("api/versions").path(version.versionId().toString()).build())
                .entity(version).build();
    }

    @GET
    @Path("/projects/{id}/versions")
    @Operation(summary = "The project's versions, newest first")
    public List<VersionView> list(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        return versions.list(id);
    }

    @GET
    @Path("/versions/{versionId}")
    @Operation(summary = "One version")
    public VersionView get(@RestPath UUID versionId) {
        requireVersion(versionId);
        return versions.get(versionId);
    }

    @GET
    @Path("/versions/{versionId}/items")
    @Operation(summary = "The version's items with label, image hash, side and export path, in item-id order")
    public List<VersionService.VersionItem> items(@RestPath UUID versionId, @RestQuery String side, @RestQuery String page,
                                                  @RestQuery String size) {
        requireVersion(versionId);
        FieldErrors errors = new FieldErrors();
        int pageNumber = QueryParams.intParam(page, 0, "page", errors);
        int pageSize = QueryParams.intParam(size, 1000, "size", errors);
        errors.check(side != null && !Set.of("train", "val").contains(side), "side", "must be train or val")
                .check(pageNumber < 0, "page", "must be 0 or more")
                .check(pageSize < 1 || pageSize > 10_000, "size", "must be between 1 and 10000")
                .throwIfAny();
        return versions.items(versionId, side, (long) pageNumber * pageSize, pageSize);
    }

    @GET
    @Path("/versions/{versionId}/diff")
    @Operation(summary = "What changed from version `against` to this one: items added, removed, relabelled, moved")
    public VersionService.Diff diff(@RestPath UUID versionId, @RestQuery String against) {
        requireVersion(versionId);
        FieldErrors errors = new FieldErrors();
        UUID other = QueryParams.uuidParam(against, "against", errors);
        errors.check(against == null || against.isBlank(), "against", "is required: the version to compare with").throwIfAny();
        requireVersion(other);
        return versions.diff(other, versionId);
    }

    @GET
    @Path("/versions/{versionId}/export")
    @Produces({"application/zip", "text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "Download the version: format=imagefolder (zip of train/<class>/<file>, val/<class>/<file> and "
            + "manifest.csv) or format=csv (the manifest alone)")
    public Response export(@RestPath UUID versionId, @RestQuery String format) {
        requireVersion(versionId);
        String f = format == null || format.isBlank() ? DatasetApi.FORMAT_IMAGEFOLDER : format;
        new FieldErrors().check(!FORMATS.contains(f), "format", "must be imagefolder or csv").throwIfAny();
        String base = fileName(versions.name(versionId));
        if (f.equals(DatasetApi.FORMAT_CSV)) {
            StreamingOutput body = out -> exporter.csv(versionId, out);
            return Response.ok(body, "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + base + ".csv\"").build();
        }
        StreamingOutput body = out -> exporter.imageFolder(versionId, out);
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + base + ".zip\"").build();
    }

    /** Any member of the version's project may read it; for everyone else it does not exist. */
    private void requireVersion(UUID versionId) {
        access.requireFor("version", versionId, versions.projectOf(versionId), Role.VIEWER);
    }

    private static String fileName(String versionName) {
        return ("loupe-" + versionName).replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
