package dev.loupe.label.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.files.AllowedRoots;
import dev.loupe.label.blob.S3Uri;
import dev.loupe.label.blob.SourceBuckets;
import dev.loupe.label.importer.ManifestImportSource;
import dev.loupe.label.importer.S3PrefixImportSource;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import dev.loupe.common.rest.FieldError;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.config.LabelConfig;
import dev.loupe.label.importer.ArchiveRejectedException;
import dev.loupe.label.importer.FolderImportSource;
import dev.loupe.label.importer.ImportSource;
import dev.loupe.label.importer.ZipImportSource;
import dev.loupe.label.service.ImportService;
import dev.loupe.label.service.ImportView;
import dev.loupe.label.service.ProjectService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

@jakarta.ws.rs.Path("/api")
@Tag(name = "imports")
public class ImportResource {

    /**
     * An import named in JSON, exactly one field set: {@code folder}, a server folder (local use; only below
     * configured roots); {@code source}, an {@code s3://bucket/prefix/} in ImageFolder layout; {@code manifest}, an
     * {@code s3://} CSV with the header {@code uri,label[,split]}. Unknown fields are refused.
     */
    public record JsonImport(String folder, String source, String manifest) {
    }

    private final ImportService imports;
    private final ProjectService projects;
    private final LabelConfig config;

    private final Access access;
    private final SourceBuckets sourceBuckets;
    private final ObjectMapper json;

    public ImportResource(ImportService imports, ProjectService projects, LabelConfig config, Access access,
                          SourceBuckets sourceBuckets, ObjectMapper json) {
        this.access = access;
        this.sourceBuckets = sourceBuckets;
        this.json = json;
        this.imports = imports;
        this.projects = projects;
        this.config = config;
    }

    @POST
    @jakarta.ws.rs.Path("/projects/{projectId}/imports")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Import a zip in ImageFolder layout (<class>/<file> or <split>/<class>/<file>); answers 202 with the job")
    public Response importZip(@RestPath UUID projectId, @RestForm("file") FileUpload file, UriInfo uri) throws IOException {
        access.require(projectId, Role.CURATOR);
        if (file == null) {
            throw ProblemException.badRequest("file", "required: the zip as multipart field 'file'");
        }
        projects.requireExists(projectId);
        // the upload is deleted when the request ends; the job reads the archive later
        Path copy = Files.createTempFile("loupe-import-", ".zip");
        Files.move(file.uploadedFile(), copy, StandardCopyOption.REPLACE_EXISTING);
        ZipImportSource source;
        try {
            source = ZipImportSource.open(file.fileName() == null ? "upload.zip" : file.fileName(), copy,
                    new ZipImportSource.ZipLimits(config.imports().maxEntries(), config.imports().maxTotalBytes(),
                            config.imports().maxCompressionRatio()));
        } catch (ArchiveRejectedException e) {
            Files.deleteIfExists(copy);
            throw ProblemException.unprocessable("file", e.getMessage());
        }
        return accepted(projectId, source, uri);
    }

    @POST
    @jakarta.ws.rs.Path("/projects/{projectId}/imports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a server folder (folder), the objects under a bucket prefix (source: s3://bucket/prefix/, "
            + "ImageFolder layout) or the objects a manifest CSV lists (manifest: s3://bucket/manifest.csv, header "
            + "uri,label[,split]); exactly one of the three. Buckets must be allowed by loupe.label.imports.s3.buckets; "
            + "their images stay there unless the project's copyImages is set. Answers 202 with the job")
    public Response importJson(@RestPath UUID projectId, @RequestBody(content = @Content(schema = @Schema(implementation = JsonImport.class))) JsonNode body, UriInfo uri) throws IOException {
        access.require(projectId, Role.CURATOR);
        JsonImport request = StrictJson.read(json, body, JsonImport.class,
                "; credentials and endpoints come from the server's configuration, never from a request");
        List<String> named = Stream.of(request.folder() == null ? null : "folder", request.source() == null ? null : "source",
                request.manifest() == null ? null : "manifest").filter(Objects::nonNull).toList();
        if (named.size() != 1) {
            String message = named.isEmpty() ? "required: one of folder, source or manifest"
                    : "give exactly one of folder, source or manifest, not " + String.join(" and ", named);
            throw ProblemException.unprocessable((named.isEmpty() ? List.of("folder", "source", "manifest") : named).stream()
                    .map(field -> new FieldError(field, message)).toList());
        }
        if (request.folder() != null) {
            return importFolder(projectId, request.folder(), uri);
        }
        boolean manifest = request.manifest() != null;
        String field = manifest ? "manifest" : "source";
        S3Uri location = sourceBuckets.require(field, manifest ? request.manifest() : request.source());
        projects.requireExists(projectId);
        ImportSource source;
        try {
            source = manifest
                    ? ManifestImportSource.open(sourceBuckets, location, config.imports().s3().maxManifestBytes(),
                    config.imports().maxEntries())
                    : S3PrefixImportSource.open(sourceBuckets, location, config.imports().maxEntries());
        } catch (ArchiveRejectedException e) {
            throw ProblemException.unprocessable(field, e.getMessage());
        }
        return accepted(projectId, source, uri);
    }

    private Response importFolder(UUID projectId, String folder, UriInfo uri) throws IOException {
        if (folder.isBlank()) {
            throw ProblemException.unprocessable("folder", "required: an absolute folder path on the server");
        }
        List<String> roots = config.imports().folderRoots().orElse(List.of());
        if (roots.isEmpty()) {
            throw new ProblemException(403, "Forbidden", "folder imports are off; set loupe.label.imports.folder-roots",
                    List.of(new FieldError("folder", "folder imports are off")));
        }
        projects.requireExists(projectId);
        // the roots first, on the real path, and one answer for "outside", "missing" and "no folder": no probing
        Path real = AllowedRoots.of(roots).folder(folder).orElseThrow(() -> ProblemException.unprocessable(
                "folder", "must be the absolute path of an existing folder below one of the folder roots this server "
                        + "allows (loupe.label.imports.folder-roots)"));
        return accepted(projectId, FolderImportSource.open(real), uri);
    }

    @GET
    @jakarta.ws.rs.Path("/imports/{importId}")
    @Operation(summary = "Progress and failures of an import")
    public ImportView get(@RestPath UUID importId) {
        ImportView job = imports.get(importId);
        access.requireFor("import", importId, job.projectId(), Role.VIEWER);
        return job;
    }

    @GET
    @jakarta.ws.rs.Path("/projects/{projectId}/imports")
    @Operation(summary = "A project's imports, newest first (without the failure lists)")
    public List<ImportView> list(@RestPath UUID projectId) {
        access.require(projectId, Role.VIEWER);
        return imports.forProject(projectId);
    }

    private Response accepted(UUID projectId, ImportSource source, UriInfo uri) {
        ImportView job = imports.start(projectId, source, access.actor());
        return Response.accepted(job)
                .location(uri.getBaseUriBuilder().path("api/imports").path(job.importId().toString()).build())
                .build();
    }
}
