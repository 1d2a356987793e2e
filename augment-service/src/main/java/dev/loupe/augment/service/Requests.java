package dev.loupe.augment.service;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The request bodies of the augment service (also stored, normalised, with each job). */
public final class Requests {

    private Requests() {
    }

    /**
     * Which items of a project: by label and original split (null: any), and source (null: original images only;
     * "any" for all).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Filter(String label, String split, String source) {
    }

    /**
     * An augmentation: the items (either {@code itemIds} or a {@code filter}), the operations in order,
     * {@code copiesPerItem} new images per item (default 1), a {@code seed} (default: random, reported in the job)
     * and, for operations the policy forbids or to overrule it, the {@code resultLabel} of every new image.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Augmentation(List<UUID> itemIds, Filter filter, List<Map<String, Object>> ops, Integer copiesPerItem,
                               Long seed, String resultLabel) {
    }

    /** A rectangle in image pixels. */
    public record Box(Integer x, Integer y, Integer width, Integer height) {
    }

    /**
     * A glyph to cut out of an item: erase some rectangles ({@code erase}) or the non-zero pixels of a {@code mask}
     * (base64 PNG of the item's size), keep only {@code crop} (default the whole image), trim to the ink.
     */
    public record GlyphCut(UUID itemId, String symbol, List<Box> erase, String mask, Box crop, Integer inkThreshold,
                           Integer margin) {
    }

    /**
     * Split an item into one glyph per letter by its ink columns: {@code symbols} in reading order (default: the
     * letters of the item's label, so a "viii" gives v, i, i, i).
     */
    public record GlyphSplit(UUID itemId, List<String> symbols, Integer inkThreshold, Integer margin) {
    }

    /**
     * How glyphs are set: lengths are a share of the glyph height (a number) or pixels ("6px"); absent fields
     * take the defaults measured on the DCAI numerals.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LayoutSpec(Object spacing, Object spacingJitter, Object baselineJitter, Double scaleJitter,
                             Integer glyphHeight, Integer padding) {
    }

    /** One composite from the given glyphs, in order, labelled {@code label}. */
    public record Composition(List<UUID> glyphIds, LayoutSpec layout, String label, Long seed) {
    }

    /**
     * {@code count} composites of class {@code label}, spelled from the glyph library (the given {@code glyphIds}, or
     * all of the project's glyphs).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecipeRequest(String label, Integer count, LayoutSpec layout, Long seed, List<UUID> glyphIds) {
    }
}
