package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Makes new images of a target label from a glyph library: e.g. {@code vii} from V and I glyphs that were cut out
 * of other classes. Each composite picks a random glyph per symbol (different glyphs within one composite while the
 * library has enough, so "iii" does not show three identical strokes) and sets them with the layout's jitter.
 */
public record Recipe(String label, Layout layout) {

    public static final int MAX_COUNT = 10_000;

    public Recipe {
        if (label == null || label.isBlank()) throw new InvalidOperationException("label", "is required");
        if (layout == null) throw new InvalidOperationException("layout", "is required");
    }

    /** {@code count} composites, all drawn from {@code random}: the same seed gives the same images. */
    public List<Composite> make(GlyphLibrary library, int count, RandomGenerator random) {
        if (count < 1 || count > MAX_COUNT) throw new InvalidOperationException("count", "must be between 1 and " + MAX_COUNT + ", was " + count);
        List<String> symbols = library.spell(label);
        List<Composite> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            List<Glyph> chosen = new ArrayList<>(symbols.size());
            Set<Glyph> used = new HashSet<>();
            for (String symbol : symbols) {
                List<Glyph> all = library.glyphs(symbol);
                List<Glyph> fresh = all.stream().filter(g -> !used.contains(g)).toList();
                List<Glyph> pool = fresh.isEmpty() ? all : fresh;
                Glyph g = pool.get(random.nextInt(pool.size()));
                used.add(g);
                chosen.add(g);
            }
            out.add(new Composite(label, Composer.compose(chosen, layout, random), chosen.stream().map(Glyph::source).toList()));
        }
        return List.copyOf(out);
    }
}
