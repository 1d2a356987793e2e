package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;

/**
 * How glyphs are set next to each other.
 *
 * @param spacing        gap between neighbouring glyphs' ink boxes (negative lets them overlap)
 * @param spacingJitter  each gap varies uniformly by up to this much either way
 * @param baselineJitter each glyph's bottom moves up or down by up to this much
 * @param scaleJitter    each glyph's size varies by up to this share either way (0.1 = 90%-110%)
 * @param glyphHeight    ink height every glyph is scaled to before jitter; 0 = the median of the glyphs given
 * @param padding        white border around the composed ink, in pixels
 */
public record Layout(Length spacing, Length spacingJitter, Length baselineJitter, double scaleJitter,
                     int glyphHeight, int padding) {

    public Layout {
        if (spacing == null) throw new InvalidOperationException("spacing", "is required");
        if (spacingJitter == null || spacingJitter.value() < 0) throw new InvalidOperationException("spacingJitter", "must be >= 0");
        if (baselineJitter == null || baselineJitter.value() < 0) throw new InvalidOperationException("baselineJitter", "must be >= 0");
        if (!(scaleJitter >= 0 && scaleJitter <= 0.5)) {
            throw new InvalidOperationException("scaleJitter", "must be between 0 and 0.5, was " + scaleJitter);
        }
        if (glyphHeight < 0 || glyphHeight > 2048) {
            throw new InvalidOperationException("glyphHeight", "must be between 0 (median) and 2048, was " + glyphHeight);
        }
        if (padding < 0 || padding > 1024) throw new InvalidOperationException("padding", "must be between 0 and 1024, was " + padding);
    }

    /**
     * Spacing and jitter as seen in the DCAI numerals: a gap of about a fifth of the height, letters a little
     * uneven in size and height.
     */
    public static Layout defaults() {
        return new Layout(Length.relative(0.2), Length.relative(0.06), Length.relative(0.04), 0.08, 0, 16);
    }

    /** No jitter at all: the same glyphs always give the same image, whatever the seed. */
    public static Layout exact(Length spacing, int glyphHeight, int padding) {
        return new Layout(spacing, Length.px(0), Length.px(0), 0, glyphHeight, padding);
    }

    public Layout withSpacing(Length spacing) {
        return new Layout(spacing, spacingJitter, baselineJitter, scaleJitter, glyphHeight, padding);
    }

    public Layout withGlyphHeight(int glyphHeight) {
        return new Layout(spacing, spacingJitter, baselineJitter, scaleJitter, glyphHeight, padding);
    }
}
