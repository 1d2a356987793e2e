package dev.loupe.label.rest;

import dev.loupe.security.Access;
import dev.loupe.security.Role;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.label.image.ImageRejectedException;
import dev.loupe.label.image.Thumbnailer;
import dev.loupe.label.blob.StoredBlob;
import dev.loupe.label.service.BlobService;
import dev.loupe.label.service.ItemService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Image bytes: immutable, content-addressed, cached for a year by browsers and other services. */
@Path("/api")
@Tag(name = "images")
public class ImageResource {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final int MIN_THUMBNAIL = 8;
    static final int MAX_THUMBNAIL = 1024;
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final BlobService blobs;
    private final ItemService items;
    private final Access access;

    public ImageResource(BlobService blobs, ItemService items, Access access) {
        this.blobs = blobs;
        this.items = items;
        this.access = access;
    }

    @GET
    @Path("/blobs/{sha256}")
    @Operation(summary = "Image bytes by their sha256 (strong ETag, immutable)")
    public Response blob(@RestPath String sha256, @RestQuery String redirect, Request request) {
        boolean mayRedirect = redirectParam(redirect);
        if (!SHA256.matcher(sha256).matches()) {
            throw ProblemException.notFound("blob", sha256);
        }
        if (!access.caller().seesAll() && blobs.projects(sha256).stream().noneMatch(access::sees)) {
            throw ProblemException.notFound("blob", sha256);
        }
        return mayRedirect ? redirectOrServe(request, sha256) : serve(request, new EntityTag(sha256), () -> blobs.require(sha256));
    }

    @GET
    @Path("/items/{id}/image")
    @Operation(summary = "An item's image; with size=N a PNG that fits in N x N")
    public Response image(@RestPath UUID id, @RestQuery String size, @RestQuery String redirect, Request request) {
        boolean mayRedirect = redirectParam(redirect);
        FieldErrors errors = new FieldErrors();
        int n = QueryParams.intParam(size, 0, "size", errors);
        errors.check(size != null && errors.isEmpty() && (n < MIN_THUMBNAIL || n > MAX_THUMBNAIL), "size",
                "must be between " + MIN_THUMBNAIL + " and " + MAX_THUMBNAIL).throwIfAny();
        access.requireFor("item", id, items.projectOf(id), Role.VIEWER);
        String sha256 = items.imageSha256(id);
        if (size == null) {
            return mayRedirect ? redirectOrServe(request, sha256) : serve(request, new EntityTag(sha256), () -> blobs.require(sha256));
        }
        return serve(request, new EntityTag(sha256 + "-" + n), () -> {
            byte[] original = blobs.require(sha256).readAllBytes();
            try {
                return StoredBlob.inMemory("image/png", Thumbnailer.pngThumbnail(items.inspector().decode(original), n));
            } catch (IOException | ImageRejectedException e) {
                throw new IllegalStateException("stored image " + sha256 + " does not decode", e);
            }
        });
    }

    /**
     * {@code redirect=true}: the caller (the web page's images) can follow a redirect to the object store. Opt-in,
     * because the services' REST clients do not follow redirects to other hosts and must keep getting the bytes, and
     * because a query parameter keeps the year-long cacheable bytes and the short-lived redirect at different URLs.
     */
    private static boolean redirectParam(String redirect) {
        if (redirect == null || redirect.equals("false")) {
            return false;
        }
        if (redirect.equals("true")) {
            return true;
        }
        throw ProblemException.badRequest("redirect", "must be true or false");
    }

    /**
     * A 307 to a presigned URL of the object when presigning is on and the bucket holds the image (cached privately
     * for half the URL's life), else the bytes as usual.
     */
    private Response redirectOrServe(Request request, String sha256) {
        Optional<URI> link = blobs.link(sha256);
        if (link.isEmpty()) {
            return serve(request, new EntityTag(sha256), () -> blobs.require(sha256));
        }
        return Response.temporaryRedirect(link.get())
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=" + blobs.linkTtl().dividedBy(2).toSeconds())
                .build();
    }

    /** In-memory bytes as they are; a stream from object storage passed on as it arrives, with its length. */
    private static Response serve(Request request, EntityTag tag, java.util.function.Supplier<StoredBlob> content) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.tag(tag).header(HttpHeaders.CACHE_CONTROL, IMMUTABLE).build();
        }
        StoredBlob body = content.get();
        Response.ResponseBuilder ok = body.bytes() != null
                ? Response.ok(body.bytes(), body.contentType())
                : Response.ok(body.stream(), body.contentType()).header(HttpHeaders.CONTENT_LENGTH, body.size());
        return ok.tag(tag)
                .header(HttpHeaders.CACHE_CONTROL, IMMUTABLE)
                .build();
    }
}
