package dev.loupe.label.rest;

import dev.loupe.security.Access;
import dev.loupe.security.Role;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.events.Provenance;
import dev.loupe.label.api.ItemList;
import dev.loupe.label.api.ItemView;
import dev.loupe.label.domain.ItemSource;
import dev.loupe.label.service.HistoryEntry;
import dev.loupe.label.service.ItemRef;
import dev.loupe.label.service.ItemService;
import dev.loupe.label.service.LabelChange;
import dev.loupe.label.service.NewItem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

@Path("/api")
@Tag(name = "items")
public class ItemResource {

    static final int MAX_PAGE_SIZE = 1000;
    private static final Set<String> SPLITS = Set.of("train", "val", "test", "none");

    /** A label change. */
    public record LabelRequest(String label, String reason) {
    }

    /** A bulk relabel: every change applies, or none does. */
    public record BulkRelabel(String reason, List<LabelChange> changes) {
    }

    /** The result of a bulk relabel: the items with their new versions. */
    public record BulkResult(List<ItemView> items) {
    }

    /** A reason for excluding or restoring. */
    public record ReasonRequest(String reason) {
    }

    /** A bulk exclude or restore: every item applies, or none does. */
    public record BulkExclusion(String reason, List<ItemRef> items) {
    }

    private final ItemService items;
    private final ObjectMapper json;
    private final Access access;

    public ItemResource(ItemService items, ObjectMapper json, Access access) {
        this.items = items;
        this.json = json;
        this.access = access;
    }

    @GET
    @Path("/projects/{projectId}/items")
    @Operation(summary = "List a project's items, filtered and paged (page from 0)",
            description = "Without ids the items come in import order. With ids only those items come, in the order the ids "
                    + "were given, and the other filters (excluded too: false unless given) and paging apply to them; ids that name no item of this project "
                    + "(unknown, or another project's) are left out, so total counts only the items found.")
    public ItemList list(@RestPath UUID projectId, @RestQuery String label,
                         @Parameter(description = "train, val, test, or none for items without a split") @RestQuery String split,
                         @Parameter(description = "true, false (default) or any") @RestQuery String excluded,
                         @RestQuery String source, @RestQuery String page, @RestQuery String size,
                         @Parameter(description = "item ids: comma-separated, repeated, or both (ids=a,b&ids=c); at most "
                                 + MAX_PAGE_SIZE + " per request; a repeated id counts once") @RestQuery List<String> ids) {
        access.require(projectId, Role.VIEWER);
        FieldErrors errors = new FieldErrors();
        int pageNumber = QueryParams.intParam(page, 0, "page", errors);
        int pageSize = QueryParams.intParam(size, 100, "size", errors);
        errors.check(pageNumber < 0, "page", "must be 0 or more")
                .check(pageSize < 1 || pageSize > MAX_PAGE_SIZE, "size", "must be between 1 and " + MAX_PAGE_SIZE)
                .check(split != null && !SPLITS.contains(split), "split", "must be one of " + SPLITS)
                .check(excluded != null && !Set.of("true", "false", "any").contains(excluded), "excluded", "must be true, false or any")
                .check(source != null && ItemSource.parse(source).isEmpty(), "source", "must be original, augmented or synthetic");
        List<UUID> idFilter = itemIds(ids, errors);
        errors.throwIfAny();
        Boolean excludedFilter = excluded == null ? Boolean.FALSE : excluded.equals("any") ? null : Boolean.valueOf(excluded);
        return items.list(projectId,
                new ItemService.ItemQuery(label, split, excludedFilter, source, idFilter, pageNumber, pageSize));
    }

    /**
     * The ids of {@code ids=} (comma-separated and/or repeated) in the order given, each once; null when the parameter is
     * absent. Empty, too many or malformed ids are recorded in {@code errors} under {@code ids}.
     */
    static List<UUID> itemIds(List<String> values, FieldErrors errors) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<String> tokens = values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip)
                .filter(t -> !t.isEmpty()).toList();
        if (tokens.isEmpty()) {
            errors.add("ids", "must name at least one item id");
            return null;
        }
        if (tokens.size() > MAX_PAGE_SIZE) {
            errors.add("ids", "at most " + MAX_PAGE_SIZE + " ids per request, got " + tokens.size());
            return null;
        }
        Set<UUID> parsed = new LinkedHashSet<>();
        List<String> malformed = new ArrayList<>();
        for (String token : tokens) {
            try {
                parsed.add(UUID.fromString(token));
            } catch (IllegalArgumentException e) {
                malformed.add(token);
            }
        }
        if (!malformed.isEmpty()) {
            String shown = malformed.stream().limit(3).map(t -> t.length() > 40 ? t.substring(0, 40) + "…" : t)
                    .collect(Collectors.joining(", "));
            errors.add("ids", malformed.size() + " not a UUID: " + shown + (malformed.size() > 3 ? ", …" : ""));
            return null;
        }
        return List.copyOf(parsed);
    }

    @POST
    @Path("/projects/{projectId}/items")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Add one image as an item (used by the augment service); Idempotency-Key makes retries safe")
    public Response add(@RestPath UUID projectId, @RestForm("image") FileUpload image, @RestForm String label,
                        @RestForm String source, @RestForm String provenance, @RestForm String originalPath,
                        @RestForm String originalSplit, @RestHeader("Idempotency-Key") String idempotencyKey, UriInfo uri) throws IOException {
        access.require(projectId, Role.CURATOR);
        FieldErrors errors = new FieldErrors();
        ItemSource itemSource = source == null ? ItemSource.ORIGINAL : ItemSource.parse(source).orElse(null);
        errors.check(image == null, "image", "required: the image file as multipart field 'image'")
                .check(itemSource == null, "source", "must be original, augmented or synthetic")
                .check(originalSplit != null && !Set.of("train", "val", "test").contains(originalSplit), "originalSplit",
                        "must be train, val or test")
                .check(idempotencyKey != null && idempotencyKey.length() > 200, "Idempotency-Key", "at most 200 characters");
        Provenance parsed = null;
        if (provenance != null && !provenance.isBlank()) {
            try {
                parsed = json.readValue(provenance, Provenance.class);
            } catch (JsonProcessingException e) {
                errors.add("provenance", "not a provenance object: " + e.getOriginalMessage());
            }
        }
        errors.check(itemSource != null && itemSource != ItemSource.ORIGINAL && parsed == null, "provenance",
                "required for augmented and synthetic items");
        errors.throwIfAny();
        byte[] bytes = Files.readAllBytes(image.uploadedFile());
        String path = originalPath != null ? originalPath : image.fileName();
        var added = items.add(projectId, new NewItem(bytes, label, itemSource, parsed, path, originalSplit, idempotencyKey),
                access.actor());
        Response.ResponseBuilder response = added.created()
                ? Response.created(uri.getBaseUriBuilder().path("api/items").path(added.item().id().toString()).build())
                : Response.ok();
        return response.tag(unquoted(added.item().version())).entity(added.item()).build();
    }

    @GET
    @Path("/items/{id}")
    @Operation(summary = "One item; its ETag is its version")
    public Response get(@RestPath UUID id) {
        access.requireFor("item", id, items.projectOf(id), Role.VIEWER);
        return withVersion(items.get(id));
    }

    @PUT
    @Path("/items/{id}/label")
    @Operation(summary = "Change an item's label; requires If-Match with the version you saw")
    public Response relabel(@RestPath UUID id, LabelRequest request, @RestHeader(HttpHeaders.IF_MATCH) String ifMatch) {
        access.requireFor("item", id, items.projectOf(id), Role.ANNOTATOR);
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {label, reason} is required");
        }
        return withVersion(items.relabel(id, request.label(), request.reason(), IfMatch.parse(ifMatch), access.actor()));
    }

    @POST
    @Path("/projects/{projectId}/relabels")
    @Operation(summary = "Change many labels atomically; each change names the version the client saw")
    public BulkResult relabelAll(@RestPath UUID projectId, BulkRelabel request) {
        access.require(projectId, Role.ANNOTATOR);
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {reason, changes:[{itemId, version, label}]} is required");
        }
        return new BulkResult(items.relabelAll(projectId, request.changes(), request.reason(), access.actor()));
    }

    @POST
    @Path("/projects/{projectId}/exclusions")
    @Operation(summary = "Exclude many items atomically; each names the version the client saw (excluded ones stay so)")
    public BulkResult excludeAll(@RestPath UUID projectId, BulkExclusion request) {
        return setExcludedAll(projectId, request, true);
    }

    @POST
    @Path("/projects/{projectId}/restorations")
    @Operation(summary = "Bring many excluded items back atomically; each names the version the client saw")
    public BulkResult restoreAll(@RestPath UUID projectId, BulkExclusion request) {
        return setExcludedAll(projectId, request, false);
    }

    private BulkResult setExcludedAll(UUID projectId, BulkExclusion request, boolean exclude) {
        access.require(projectId, Role.ANNOTATOR);
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {reason, items:[{itemId, version}]} is required");
        }
        return new BulkResult(items.setExcludedAll(projectId, request.items(), exclude, request.reason(), access.actor()));
    }

    @DELETE
    @Path("/items/{id}")
    @Operation(summary = "Exclude an item (noise, blank, unreadable); it stays in history and can be restored")
    public Response exclude(@RestPath UUID id, @RestQuery String reason, @RestHeader(HttpHeaders.IF_MATCH) String ifMatch) {
        access.requireFor("item", id, items.projectOf(id), Role.ANNOTATOR);
        return withVersion(items.exclude(id, reason, IfMatch.parse(ifMatch), access.actor()));
    }

    @POST
    @Path("/items/{id}/restore")
    @Operation(summary = "Bring an excluded item back")
    public Response restore(@RestPath UUID id, ReasonRequest request, @RestHeader(HttpHeaders.IF_MATCH) String ifMatch) {
        access.requireFor("item", id, items.projectOf(id), Role.ANNOTATOR);
        String reason = request == null ? null : request.reason();
        return withVersion(items.restore(id, reason, IfMatch.parse(ifMatch), access.actor()));
    }

    @GET
    @Path("/items/{id}/history")
    @Operation(summary = "Every change of an item, oldest first")
    public List<HistoryEntry> history(@RestPath UUID id) {
        access.requireFor("item", id, items.projectOf(id), Role.VIEWER);
        return items.history(id);
    }

    private static Response withVersion(ItemView item) {
        return Response.ok(item).tag(unquoted(item.version())).build();
    }

    /** JAX-RS quotes the tag itself. */
    private static String unquoted(long version) {
        return Long.toString(version);
    }
}
