package dev.loupe.dataset.split;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.dataset.config.DatasetConfig;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.Set;
import java.util.UUID;

@Path("/api/projects/{id}/split")
@Produces(MediaType.APPLICATION_JSON)
public class SplitResource {

    private static final Set<String> SIDES = Set.of("train", "val", "out");
    private static final int MAX_PAGE = 10_000;

    private final SplitService splits;
    private final DatasetConfig config;
    private final Access access;

    public SplitResource(SplitService splits, DatasetConfig config, Access access) {
        this.splits = splits;
        this.config = config;
        this.access = access;
    }

    @GET
    @Operation(summary = "The current split: counts per side and class, and which label events it includes. With "
            + "minLabelsSeen, or itemId (+ minVersion), waits until the split includes that change (at most wait seconds)")
    public SplitService.SplitView split(@RestPath UUID id, @RestQuery String minLabelsSeen, @RestQuery String itemId,
                                        @RestQuery String minVersion, @RestQuery String wait) throws InterruptedException {
        access.require(id, Role.VIEWER);
        FieldErrors errors = new FieldErrors();
        CatchUp catchUp = CatchUp.parse(minLabelsSeen, itemId, minVersion, wait, config.maxWait(), errors);
        errors.throwIfAny();
        if (!catchUp.requested()) {
            return splits.current(id);
        }
        return splits.await(id, catchUp.minLabelsSeen(), catchUp.itemId(), catchUp.minVersion(), catchUp.timeout());
    }

    @GET
    @Path("/items")
    @Operation(summary = "Which side each item is on, with its class and style cluster; filter by side, label or itemId")
    public SplitService.AssignmentPage items(@RestPath UUID id, @RestQuery String side, @RestQuery String label,
                                             @RestQuery String itemId, @RestQuery String page, @RestQuery String size) {
        access.require(id, Role.VIEWER);
        FieldErrors errors = new FieldErrors();
        int pageNumber = QueryParams.intParam(page, 0, "page", errors);
        int pageSize = QueryParams.intParam(size, 1000, "size", errors);
        UUID item = QueryParams.uuidParam(itemId, "itemId", errors);
        errors.check(side != null && !SIDES.contains(side), "side", "must be train, val or out")
                .check(pageNumber < 0, "page", "must be 0 or more")
                .check(pageSize < 1 || pageSize > MAX_PAGE, "size", "must be between 1 and " + MAX_PAGE)
                .throwIfAny();
        return splits.assignments(id, side, label, item, pageNumber, pageSize);
    }

    @GET
    @Path("/config")
    @Operation(summary = "The split configuration; its ETag is its version")
    public Response config(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        return configResponse(splits.config(id));
    }

    @PUT
    @Path("/config")
    @Operation(summary = "Replace the split configuration (If-Match required); the split is recomputed from scratch with it")
    public Response configure(@RestPath UUID id, SplitService.ConfigView request,
                              @RestHeader(HttpHeaders.IF_MATCH) String ifMatch) {
        access.require(id, Role.CURATOR);
        SplitService.VersionedConfig config = splits.configure(id, request, IfMatch.parse(ifMatch));
        splits.refreshNow(id);
        return configResponse(config);
    }

    private static Response configResponse(SplitService.VersionedConfig c) {
        return Response.ok(c.config()).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(c.version()))).build();
    }
}
