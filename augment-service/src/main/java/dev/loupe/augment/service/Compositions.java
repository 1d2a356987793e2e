package dev.loupe.augment.service;

import dev.loupe.augment.domain.StoredGlyph;
import dev.loupe.events.Provenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The provenance of a composed image: the items its glyphs were cut from, the glyphs, the layout and the seed. */
final class Compositions {

    private Compositions() {
    }

    static Provenance provenance(List<StoredGlyph> glyphs, Requests.LayoutSpec layout, long seed, String job) {
        Set<Provenance.Parent> parents = new LinkedHashSet<>();
        List<String> glyphIds = new ArrayList<>();
        StringBuilder spelled = new StringBuilder();
        for (StoredGlyph g : glyphs) {
            parents.add(new Provenance.Parent(g.itemId, g.itemVersion));
            glyphIds.add(g.glyphId.toString());
            spelled.append(g.symbol);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("glyphIds", glyphIds);
        params.put("symbols", spelled.toString());
        params.put("layout", layoutMap(layout));
        return new Provenance(List.copyOf(parents), List.of(new Provenance.Operation("compose", params)), seed, job);
    }

    private static Map<String, Object> layoutMap(Requests.LayoutSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (spec == null) return m;
        if (spec.spacing() != null) m.put("spacing", spec.spacing());
        if (spec.spacingJitter() != null) m.put("spacingJitter", spec.spacingJitter());
        if (spec.baselineJitter() != null) m.put("baselineJitter", spec.baselineJitter());
        if (spec.scaleJitter() != null) m.put("scaleJitter", spec.scaleJitter());
        if (spec.glyphHeight() != null) m.put("glyphHeight", spec.glyphHeight());
        if (spec.padding() != null) m.put("padding", spec.padding());
        return m;
    }
}
