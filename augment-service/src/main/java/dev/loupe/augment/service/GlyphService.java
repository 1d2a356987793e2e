package dev.loupe.augment.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.domain.StoredGlyph;
import dev.loupe.augment.glyph.Cut;
import dev.loupe.augment.glyph.Glyph;
import dev.loupe.augment.glyph.InkMask;
import dev.loupe.augment.image.EraseMask;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Mask;
import dev.loupe.augment.image.Png;
import dev.loupe.augment.image.Rect;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.api.ItemView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Cuts glyphs out of items and keeps them, with the item version and the cut, for compositions and recipes. */
@ApplicationScoped
public class GlyphService {

    /** A stored glyph, without its pixels (those are at {@code imageUrl}). */
    public record GlyphView(UUID glyphId, UUID projectId, UUID itemId, long itemVersion, String symbol, int width,
                            int height, Object cut, String imageUrl, String createdBy, Instant createdAt) {
    }

    private static final int MAX_SYMBOL = 16;

    private final LabelServiceClient labels;
    private final ObjectMapper json;

    public GlyphService(LabelServiceClient labels, ObjectMapper json) {
        this.labels = labels;
        this.json = json;
    }

    public GlyphView cut(Requests.GlyphCut request, String actor) throws IOException, InterruptedException {
        if (request == null) throw ProblemException.badRequest("body", "a JSON object {itemId, symbol, erase | mask, crop} is required");
        FieldErrors errors = new FieldErrors();
        errors.check(request.itemId() == null, "itemId", "is required")
                .check(request.symbol() == null || request.symbol().isBlank(), "symbol",
                        "is required: what the glyph shows, e.g. \"v\" or \"i\"")
                .check(request.symbol() != null && (request.symbol().length() > MAX_SYMBOL || !request.symbol().matches("[\\p{L}\\p{N}]+")),
                        "symbol", "must be 1 to " + MAX_SYMBOL + " letters or digits")
                .check(request.erase() != null && request.mask() != null, "erase", "give erase or mask, not both");
        List<Rect> erase = new ArrayList<>();
        Rect crop = null;
        Mask mask = null;
        Cut cut = null;
        try {
            if (request.erase() != null) {
                for (int i = 0; i < request.erase().size(); i++) erase.add(rect(request.erase().get(i), "erase[" + i + "]"));
            }
            if (request.crop() != null) crop = rect(request.crop(), "crop");
            if (request.mask() != null) mask = Mask.fromBase64Png(request.mask());
            cut = new Cut(erase, crop, request.margin() == null ? Cut.DEFAULT_MARGIN : request.margin(),
                    request.inkThreshold() == null ? InkMask.DEFAULT_THRESHOLD : request.inkThreshold());
        } catch (InvalidOperationException e) {
            errors.add(e.parameter(), e.reason());
        }
        errors.throwIfAny();

        ItemView item = labels.item(request.itemId())
                .orElseThrow(() -> ProblemException.notFound("itemId", "item", request.itemId()));
        BufferedImage image = ItemImages.decode(item, labels.blob(item.sha256()));
        UUID glyphId = UUID.randomUUID();
        Glyph glyph;
        try {
            if (mask != null) image = new EraseMask(mask).apply(image, null);
            glyph = Glyph.cut(image, request.symbol(), glyphId.toString(), cut);
        } catch (InvalidOperationException e) {
            String field = e.parameter().startsWith("box") ? "crop" + e.parameter().substring(3)
                    : e.parameter().equals("image") ? (crop != null ? "crop" : "itemId") : e.parameter();
            throw ProblemException.unprocessable(field, e.reason() + " (item " + item.id() + " is "
                    + item.width() + "x" + item.height() + ")");
        }
        StoredGlyph stored = stored(glyphId, item, request.symbol(), cutMap(request), glyph, actor);
        QuarkusTransaction.requiringNew().run(stored::persist);
        return view(stored);
    }

    /**
     * Cuts every letter of an item at once, where its letters stand apart: the runs of ink-holding columns (specks
     * under 2% of the ink ignored) must be as many as the symbols. Refused with 422 otherwise (touching letters, a
     * bar over the numeral): then cut by hand with {@link #cut}.
     */
    public List<GlyphView> split(Requests.GlyphSplit request, String actor) throws IOException, InterruptedException {
        if (request == null) throw ProblemException.badRequest("body", "a JSON object {itemId, symbols} is required");
        FieldErrors errors = new FieldErrors();
        errors.check(request.itemId() == null, "itemId", "is required")
                .check(request.symbols() != null && (request.symbols().isEmpty() || request.symbols().stream().anyMatch(
                        sym -> sym == null || sym.length() > MAX_SYMBOL || !sym.matches("[\\p{L}\\p{N}]+"))),
                        "symbols", "must be a non-empty list of 1 to " + MAX_SYMBOL + " letters or digits each");
        int threshold = request.inkThreshold() == null ? InkMask.DEFAULT_THRESHOLD : request.inkThreshold();
        int margin = request.margin() == null ? Cut.DEFAULT_MARGIN : request.margin();
        try {
            new Cut(List.of(), null, margin, threshold);
        } catch (InvalidOperationException e) {
            errors.add(e.parameter(), e.reason());
        }
        errors.throwIfAny();
        ItemView item = labels.item(request.itemId())
                .orElseThrow(() -> ProblemException.notFound("itemId", "item", request.itemId()));
        List<String> symbols = request.symbols() != null ? request.symbols()
                : item.label().codePoints().mapToObj(Character::toString).toList();
        BufferedImage image = ItemImages.decode(item, labels.blob(item.sha256()));
        InkMask ink = InkMask.of(image, threshold);
        List<Rect> boxes = ink.groupBoxes(Math.max(10, ink.count() / 50));
        if (boxes.size() != symbols.size()) {
            throw ProblemException.unprocessable(request.symbols() != null ? "symbols" : "itemId", "the ink of item "
                    + item.id() + " stands in " + boxes.size() + " separate column groups, but " + symbols.size()
                    + " symbols " + symbols + " were to be cut; cut its letters by hand (POST /api/glyphs with crop or erase)");
        }
        List<StoredGlyph> cut = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            UUID glyphId = UUID.randomUUID();
            Glyph glyph = Glyph.cut(image, symbols.get(i), glyphId.toString(), new Cut(List.of(), boxes.get(i), margin, threshold));
            Rect b = boxes.get(i);
            Map<String, Object> how = new LinkedHashMap<>();
            how.put("split", "columns");
            how.put("crop", new Requests.Box(b.x(), b.y(), b.width(), b.height()));
            cut.add(stored(glyphId, item, symbols.get(i), how, glyph, actor));
        }
        QuarkusTransaction.requiringNew().run(() -> cut.forEach(g -> g.persist()));
        return cut.stream().map(this::view).toList();
    }

    private StoredGlyph stored(UUID glyphId, ItemView item, String symbol, Object cut, Glyph glyph, String actor) {
        StoredGlyph stored = new StoredGlyph();
        stored.glyphId = glyphId;
        stored.projectId = item.projectId();
        stored.itemId = item.id();
        stored.itemVersion = item.version();
        stored.symbol = symbol;
        stored.cut = write(cut);
        stored.png = Png.encode(glyph.image());
        stored.width = glyph.width();
        stored.height = glyph.height();
        stored.createdBy = actor;
        stored.createdAt = Instant.now();
        return stored;
    }

    public GlyphView get(UUID glyphId) {
        return QuarkusTransaction.requiringNew().call(() -> view(require(glyphId)));
    }

    public byte[] png(UUID glyphId) {
        return QuarkusTransaction.requiringNew().call(() -> require(glyphId).png);
    }

    public List<GlyphView> list(UUID projectId, String symbol) {
        return QuarkusTransaction.requiringNew().call(() -> (symbol == null
                ? StoredGlyph.<StoredGlyph>list("projectId = ?1 order by createdAt, glyphId", projectId)
                : StoredGlyph.<StoredGlyph>list("projectId = ?1 and symbol = ?2 order by createdAt, glyphId", projectId, symbol))
                .stream().map(this::view).toList());
    }

    public void delete(UUID glyphId) {
        QuarkusTransaction.requiringNew().run(() -> require(glyphId).delete());
    }

    /**
     * The glyphs of a request, in order: 404 naming {@code glyphIds[i]} for an unknown one, 422 for one of another
     * project. Call inside a transaction.
     */
    static List<StoredGlyph> requireAll(UUID projectId, List<UUID> glyphIds) {
        List<StoredGlyph> found = new ArrayList<>(glyphIds.size());
        for (int i = 0; i < glyphIds.size(); i++) {
            StoredGlyph g = glyphIds.get(i) == null ? null : StoredGlyph.findById(glyphIds.get(i));
            if (g == null) throw ProblemException.notFound("glyphIds[" + i + "]", "glyph", glyphIds.get(i));
            if (!g.projectId.equals(projectId)) {
                throw ProblemException.unprocessable("glyphIds[" + i + "]", "glyph " + g.glyphId + " belongs to another project");
            }
            found.add(g);
        }
        return found;
    }

    static StoredGlyph require(UUID glyphId) {
        StoredGlyph g = StoredGlyph.findById(glyphId);
        if (g == null) throw ProblemException.notFound("glyph", glyphId);
        return g;
    }

    private GlyphView view(StoredGlyph g) {
        Object cut;
        try {
            cut = json.readValue(g.cut, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored cut unreadable", e);
        }
        return new GlyphView(g.glyphId, g.projectId, g.itemId, g.itemVersion, g.symbol, g.width, g.height, cut,
                "/api/glyphs/" + g.glyphId + "/image", g.createdBy, g.createdAt);
    }

    private static Rect rect(Requests.Box box, String field) {
        if (box == null) throw new InvalidOperationException(field, "must be an object {x, y, width, height}");
        for (Map.Entry<String, Integer> e : Map.of("x", nz(box.x()), "y", nz(box.y()), "width", nz(box.width()),
                "height", nz(box.height())).entrySet()) {
            if (e.getValue() == Integer.MIN_VALUE) throw new InvalidOperationException(field + "." + e.getKey(), "is required");
        }
        try {
            return new Rect(box.x(), box.y(), box.width(), box.height());
        } catch (InvalidOperationException e) {
            throw e.within(field);
        }
    }

    private static int nz(Integer v) {
        return v == null ? Integer.MIN_VALUE : v;
    }

    private static Map<String, Object> cutMap(Requests.GlyphCut r) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.erase() != null) m.put("erase", r.erase());
        if (r.mask() != null) {
            m.put("maskSha256", dev.loupe.common.util.Digests.sha256(r.mask().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        if (r.crop() != null) m.put("crop", r.crop());
        if (r.inkThreshold() != null) m.put("inkThreshold", r.inkThreshold());
        if (r.margin() != null) m.put("margin", r.margin());
        return m;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
