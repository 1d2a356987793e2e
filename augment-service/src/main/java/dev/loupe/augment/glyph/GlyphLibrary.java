package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Glyphs grouped by the symbol they show ("v", "i", "x"), in the order they were added. Immutable. */
public final class GlyphLibrary {

    private final Map<String, List<Glyph>> bySymbol;

    private GlyphLibrary(Map<String, List<Glyph>> bySymbol) {
        this.bySymbol = bySymbol;
    }

    public static GlyphLibrary of(Collection<Glyph> glyphs) {
        Map<String, List<Glyph>> grouped = new LinkedHashMap<>();
        for (Glyph g : glyphs) grouped.computeIfAbsent(g.symbol(), s -> new ArrayList<>()).add(g);
        Map<String, List<Glyph>> frozen = new LinkedHashMap<>();
        grouped.forEach((s, list) -> frozen.put(s, List.copyOf(list)));
        return new GlyphLibrary(java.util.Collections.unmodifiableMap(frozen));
    }

    public Set<String> symbols() {
        return bySymbol.keySet();
    }

    public List<Glyph> glyphs(String symbol) {
        return bySymbol.getOrDefault(symbol, List.of());
    }

    /**
     * Splits a label into the library's symbols, longest symbol first at each position: "viii" gives v, i, i, i.
     *
     * @throws InvalidOperationException naming {@code label} when some part has no glyphs
     */
    public List<String> spell(String label) {
        return spell(bySymbol.keySet(), label);
    }

    /** As {@link #spell(String)}, for a library that has glyphs for exactly {@code available}. */
    public static List<String> spell(Collection<String> available, String label) {
        if (label == null || label.isEmpty()) throw new InvalidOperationException("label", "is required");
        List<String> bySize = available.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        List<String> symbols = new ArrayList<>();
        int at = 0;
        outer:
        while (at < label.length()) {
            for (String s : bySize) {
                if (label.startsWith(s, at)) {
                    symbols.add(s);
                    at += s.length();
                    continue outer;
                }
            }
            throw new InvalidOperationException("label", "the library has no glyph for \"" + label.substring(at, at + 1)
                    + "\" at position " + at + " of \"" + label + "\" (it has: " + String.join(", ", available) + ")");
        }
        return List.copyOf(symbols);
    }
}
