package dev.loupe.augment.service;

import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.domain.StoredGlyph;
import dev.loupe.augment.glyph.Composer;
import dev.loupe.augment.glyph.Glyph;
import dev.loupe.augment.glyph.Layout;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Png;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.api.ItemView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/** Builds one image from glyphs and adds it to the label service as a synthetic item. */
@ApplicationScoped
public class CompositionService {

    /** The new item and what it was made of. */
    public record Composed(UUID itemId, UUID projectId, String label, long version, String source, String spelled,
                           List<UUID> glyphIds, long seed) {
    }

    private final LabelServiceClient labels;
    private final SecureRandom random = new SecureRandom();

    public CompositionService(LabelServiceClient labels) {
        this.labels = labels;
    }

    public Composed compose(UUID projectId, Requests.Composition request, String idempotencyKey)
            throws IOException, InterruptedException {
        if (request == null) throw ProblemException.badRequest("body", "a JSON object {glyphIds, layout, label, seed} is required");
        FieldErrors errors = new FieldErrors();
        List<UUID> ids = request.glyphIds();
        errors.check(ids == null || ids.isEmpty(), "glyphIds", "is required: the glyphs in reading order")
                .check(ids != null && ids.size() > Composer.MAX_GLYPHS, "glyphIds", "at most " + Composer.MAX_GLYPHS + " glyphs")
                .check(ids != null && ids.stream().anyMatch(java.util.Objects::isNull), "glyphIds", "must not contain null")
                .check(request.label() == null || request.label().isBlank(), "label", "is required: the class of the new image")
                .check(idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 150),
                        "Idempotency-Key", "must be 1 to 150 characters");
        Layout layout = Layouts.of(request.layout(), errors);
        errors.throwIfAny();
        List<String> classes = labels.classes(projectId).orElseThrow(() -> ProblemException.notFound("project", projectId));
        if (!classes.contains(request.label())) {
            throw ProblemException.unprocessable("label", "\"" + request.label() + "\" is not a class of the project " + classes);
        }
        List<StoredGlyph> glyphs = QuarkusTransaction.requiringNew().call(() -> GlyphService.requireAll(projectId, ids));
        long seed = request.seed() != null ? request.seed() : random.nextLong();
        byte[] png;
        try {
            png = Png.encode(Composer.compose(glyphs.stream().map(g -> Glyph.of(g.symbol, g.glyphId.toString(), Png.decode(g.png))).toList(),
                    layout, new SplittableRandom(seed)));
        } catch (InvalidOperationException e) {
            throw ProblemException.unprocessable(e.parameter().startsWith("layout") ? e.parameter() : "layout." + e.parameter(), e.reason());
        }
        String spelled = String.join("", glyphs.stream().map(g -> g.symbol).toList());
        String key = idempotencyKey == null ? null : "composition:" + projectId + ":" + idempotencyKey;
        ItemView item = labels.add(projectId, new LabelServiceClient.NewItem(png, request.label(), "synthetic",
                Compositions.provenance(glyphs, request.layout(), seed, null),
                "synthetic/" + request.label() + "/composition-" + UUID.randomUUID().toString().substring(0, 8) + ".png", key));
        return new Composed(item.id(), projectId, item.label(), item.version(), item.source(), spelled, ids, seed);
    }
}
