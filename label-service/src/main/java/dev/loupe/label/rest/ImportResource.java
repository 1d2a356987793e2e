package dev.loupe.label.rest;

import dev.loupe.common.files.AllowedRoots;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

@jakarta.ws.rs.Path("/api")
@Tag(name = "imports")
public class ImportResource {

    /** A server-side folder import (local use; only below configured roots). */
    public record FolderImport(String folder) {
    }

    private final ImportService imports;
    private final ProjectService projects;
    private final LabelConfig config;

    private final Access access;

    public ImportResource(ImportService imports, ProjectService projects, LabelConfig config, Access access) {
        this.access = access;
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
    @Operation(summary = "Import a folder on the server (allowed below loupe.label.imports.folder-roots only)")
    public Response importFolder(@RestPath UUID projectId, FolderImport request, UriInfo uri) throws IOException {
        access.require(projectId, Role.CURATOR);
        if (request == null || request.folder() == null || request.folder().isBlank()) {
            throw ProblemException.unprocessable("folder", "required: an absolute folder path on the server");
        }
        List<String> roots = config.imports().folderRoots().orElse(List.of());
        if (roots.isEmpty()) {
            throw new ProblemException(403, "Forbidden", "folder imports are off; set loupe.label.imports.folder-roots",
                    List.of(new FieldError("folder", "folder imports are off")));
        }
        projects.requireExists(projectId);
        // the roots first, on the real path, and one answer for "outside", "missing" and "no folder": no probing
        Path real = AllowedRoots.of(roots).folder(request.folder()).orElseThrow(() -> ProblemException.unprocessable(
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
