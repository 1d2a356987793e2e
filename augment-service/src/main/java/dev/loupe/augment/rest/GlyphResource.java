package dev.loupe.augment.rest;

import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.config.AugmentConfig;
import dev.loupe.augment.service.CompositionService;
import dev.loupe.augment.service.GlyphService;
import dev.loupe.augment.service.Owners;
import dev.loupe.augment.service.Requests;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class GlyphResource {

    private final GlyphService glyphs;
    private final CompositionService compositions;
    private final LabelServiceClient labels;
    private final String labelUrl;
    private final Owners owners;
    private final Access access;

    public GlyphResource(GlyphService glyphs, CompositionService compositions, LabelServiceClient labels, AugmentConfig config,
                         Owners owners, Access access) {
        this.glyphs = glyphs;
        this.compositions = compositions;
        this.labels = labels;
        this.labelUrl = config.labelServiceUrl().replaceAll("/+$", "");
        this.owners = owners;
        this.access = access;
    }

    @POST
    @Path("/glyphs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cut a glyph out of an item: {itemId, symbol, erase:[{x,y,width,height}] | mask (base64 PNG), "
            + "crop:{x,y,width,height}, inkThreshold, margin}; kept as ink on white with its provenance")
    public Response cut(Requests.GlyphCut request, UriInfo uri) throws IOException, InterruptedException {
        owners.requireItem(itemOf(request, request == null ? null : request.itemId(), "{itemId, symbol, erase | mask, crop}"),
                "itemId", Role.ANNOTATOR);
        GlyphService.GlyphView glyph = glyphs.cut(request, access.actor());
        return Response.created(uri.getBaseUriBuilder().path("api/glyphs").path(glyph.glyphId().toString()).build())
                .entity(glyph).build();
    }

    @POST
    @Path("/glyphs/split")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cut every letter of an item at once by its ink columns: {itemId, symbols (default: the letters "
            + "of its label), inkThreshold, margin}; 422 when its letters do not stand apart")
    public Response split(Requests.GlyphSplit request) throws IOException, InterruptedException {
        owners.requireItem(itemOf(request, request == null ? null : request.itemId(), "{itemId, symbols}"), "itemId", Role.ANNOTATOR);
        return Response.status(Response.Status.CREATED).entity(glyphs.split(request, access.actor())).build();
    }

    @GET
    @Path("/glyphs/{glyphId}")
    @Operation(summary = "One glyph")
    public GlyphService.GlyphView get(@RestPath UUID glyphId) {
        access.requireFor("glyph", glyphId, owners.projectOfGlyph(glyphId), Role.VIEWER);
        return glyphs.get(glyphId);
    }

    @GET
    @Path("/glyphs/{glyphId}/image")
    @Produces({"image/png", MediaType.APPLICATION_JSON})
    @Operation(summary = "The glyph's pixels: ink on white, trimmed to the ink plus the margin")
    public Response image(@RestPath UUID glyphId) {
        access.requireFor("glyph", glyphId, owners.projectOfGlyph(glyphId), Role.VIEWER);
        return Response.ok(glyphs.png(glyphId), "image/png").header("Cache-Control", "public, max-age=31536000, immutable").build();
    }

    @DELETE
    @Path("/glyphs/{glyphId}")
    @Operation(summary = "Forget a glyph (items already made from it keep their provenance)")
    public Response delete(@RestPath UUID glyphId) {
        access.requireFor("glyph", glyphId, owners.projectOfGlyph(glyphId), Role.ANNOTATOR);
        glyphs.delete(glyphId);
        return Response.noContent().build();
    }

    @GET
    @Path("/projects/{id}/glyphs")
    @Operation(summary = "The project's glyph library, optionally one symbol")
    public List<GlyphService.GlyphView> list(@RestPath UUID id, @RestQuery String symbol) {
        access.require(id, Role.VIEWER);
        return glyphs.list(id, symbol);
    }

    @POST
    @Path("/projects/{id}/compositions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Compose one image from glyphs {glyphIds, layout:{spacing, spacingJitter, baselineJitter, "
            + "scaleJitter, glyphHeight, padding}, label, seed} and add it as a synthetic item; Idempotency-Key makes "
            + "a retry return the same item")
    public Response compose(@RestPath UUID id, Requests.Composition request, @RestHeader("Idempotency-Key") String key)
            throws IOException, InterruptedException {
        access.require(id, Role.CURATOR);
        CompositionService.Composed composed = compositions.compose(id, request, key);
        return Response.created(URI.create(labelUrl + "/api/items/" + composed.itemId())).entity(composed).build();
    }

    /** The item a cut names: its project decides who may cut, so nothing is read before it is known. */
    private static UUID itemOf(Object request, UUID itemId, String shape) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object " + shape + " is required");
        }
        if (itemId == null) {
            throw ProblemException.unprocessable("itemId", "is required: a JSON object " + shape);
        }
        return itemId;
    }
}
