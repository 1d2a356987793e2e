package dev.loupe.embedding.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.embedding.analysis.ItemVector;
import dev.loupe.embedding.analysis.MapLayout;
import dev.loupe.embedding.analysis.ProjectSnapshot;
import dev.loupe.embedding.rest.EmbeddingResource.MapView;
import dev.loupe.embedding.service.ProjectAnalysis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * The map's response body, serialized once per snapshot and full run and kept with the snapshot: at 100,000 points
 * it is 6 MB of JSON, which took longer to build than the 200 ms a read may take. Answers with an ETag (this JVM's
 * start, the snapshot's stamp, the run's version), so a page that has the map already gets 304, and gzips the body,
 * once, for clients that accept it.
 */
@ApplicationScoped
public class MapBodies {

    /** Coordinates to 1e-5 of the map's extent (tens of units): far below a pixel, a third of the bytes. */
    private static final double ROUND = 1e5;
    private static final String BOOT = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private static final ProjectSnapshot.Key<AtomicReference<Body>> BODY = new ProjectSnapshot.Key<>("map-body");
    private static final CacheControl REVALIDATE = CacheControl.valueOf("private, no-cache");

    private final ProjectAnalysis analysis;
    private final ObjectMapper json;

    public MapBodies(ProjectAnalysis analysis, ObjectMapper json) {
        this.analysis = analysis;
        this.json = json;
    }

    /** One serialized map: the version of the full run it shows, its ETag, its JSON and (on first ask) gzip. */
    private static final class Body {
        final long version;
        final EntityTag tag;
        final byte[] json;
        private volatile byte[] gzip;

        Body(long version, EntityTag tag, byte[] json) {
            this.version = version;
            this.tag = tag;
            this.json = json;
        }

        byte[] gzip() {
            byte[] known = gzip;
            if (known == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3);
                try (GZIPOutputStream zip = new GZIPOutputStream(out, 1 << 16)) {
                    zip.write(json);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                known = out.toByteArray();
                gzip = known;
            }
            return known;
        }
    }

    /** The project's map: 304 when {@code ifNoneMatch} names it, gzip when {@code acceptEncoding} allows. */
    public Response response(UUID projectId, String ifNoneMatch, String acceptEncoding) {
        ProjectSnapshot snapshot = analysis.snapshot(projectId);
        AtomicReference<Body> kept = snapshot.derived(BODY, s -> new AtomicReference<>());
        Body body = kept.get();
        if (body == null || body.version != analysis.mapVersion(projectId)) {
            body = build(projectId, snapshot);
            kept.set(body);
        }
        if (ifNoneMatch != null && (ifNoneMatch.contains(body.tag.toString()) || ifNoneMatch.strip().equals("*"))) {
            return Response.notModified(body.tag).cacheControl(REVALIDATE).build();
        }
        boolean gzip = acceptEncoding != null && acceptEncoding.toLowerCase(Locale.ROOT).contains("gzip");
        Response.ResponseBuilder ok = Response.ok(gzip ? body.gzip() : body.json, MediaType.APPLICATION_JSON_TYPE)
                .tag(body.tag).cacheControl(REVALIDATE).header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        return (gzip ? ok.header(HttpHeaders.CONTENT_ENCODING, "gzip") : ok).build();
    }

    private Body build(UUID projectId, ProjectSnapshot snapshot) {
        MapLayout layout = analysis.map(projectId);
        int n = snapshot.size();
        List<UUID> ids = new ArrayList<>(n);
        List<String> labels = new ArrayList<>(n);
        List<String> splits = new ArrayList<>(n);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            ItemVector row = snapshot.row(i);
            double[] p = layout.positions().getOrDefault(row.itemId(), new double[]{0, 0});
            ids.add(row.itemId());
            labels.add(row.label());
            splits.add(row.split());
            x[i] = Math.round(p[0] * ROUND) / ROUND;
            y[i] = Math.round(p[1] * ROUND) / ROUND;
        }
        try {
            byte[] bytes = json.writeValueAsBytes(new MapView(projectId, layout.version(), ids, x, y, labels, splits));
            return new Body(layout.version(), new EntityTag(BOOT + "-" + snapshot.stamp() + "-" + layout.version()), bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the map of project " + projectId + " did not serialize", e);
        }
    }
}
