package dev.loupe.augment.glyph;

import dev.loupe.augment.image.Crop;
import dev.loupe.augment.image.Erase;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Pixels;
import dev.loupe.augment.image.Rect;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * One written symbol (e.g. a single "v" or "i") cut from an image: its ink on pure white, trimmed to the ink's
 * bounding box. White background is what lets composition blend glyphs by darkest-wins without gray boxes.
 * Immutable: the pixels are never handed out, only copies.
 */
public final class Glyph {

    private final String symbol;
    private final String source;
    private final Pixels ink;
    private final int margin;

    private Glyph(String symbol, String source, Pixels ink, int margin) {
        this.symbol = symbol;
        this.source = source;
        this.ink = ink;
        this.margin = margin;
    }

    /**
     * Cuts a glyph: erase, crop to the box, then trim to the ink (see {@link Cut}). The paper is normalised to white:
     * each channel is shifted so the image's background becomes 255, and pixels that are not ink become exactly 255.
     *
     * @param source where it came from, for provenance (e.g. a file name or item id)
     * @throws InvalidOperationException when a region lies outside the image or no ink is left
     */
    public static Glyph cut(BufferedImage image, String symbol, String source, Cut cut) {
        if (symbol == null || symbol.isBlank()) throw new InvalidOperationException("symbol", "is required");
        Objects.requireNonNull(cut, "cut");
        Pixels pixels = Pixels.of(image);
        int[] background = pixels.background();
        if (!cut.erase().isEmpty()) {
            for (int i = 0; i < cut.erase().size(); i++) {
                try {
                    cut.erase().get(i).requireInside(pixels.width(), pixels.height());
                } catch (InvalidOperationException e) {
                    throw e.within("erase[" + i + "]");
                }
            }
            pixels = new Erase(cut.erase()).apply(pixels, null);
        }
        if (cut.box() != null) {
            try {
                pixels = new Crop(cut.box()).apply(pixels, null);
            } catch (InvalidOperationException e) {
                throw e.within("box");
            }
        }
        InkMask mask = InkMask.of(pixels, cut.inkThreshold(), background);
        Rect bounds = mask.bounds().orElseThrow(() -> new InvalidOperationException("image",
                "has no ink darker than the background by more than " + cut.inkThreshold() + " levels"));
        int ch = pixels.channels();
        Pixels trimmed = Pixels.filled(bounds.width(), bounds.height(), ch, white(ch));
        for (int y = 0; y < bounds.height(); y++) {
            for (int x = 0; x < bounds.width(); x++) {
                if (!mask.isInk(bounds.x() + x, bounds.y() + y)) continue;
                for (int c = 0; c < ch; c++) {
                    trimmed.set(x, y, c, pixels.get(bounds.x() + x, bounds.y() + y, c) + 255 - background[c]);
                }
            }
        }
        return new Glyph(symbol, source == null ? "" : source, trimmed, cut.margin());
    }

    /** A glyph from an image that already is ink on white, e.g. drawn by a test or a font; trimmed the same way. */
    public static Glyph of(String symbol, String source, BufferedImage image) {
        return cut(image, symbol, source, Cut.whole().withMargin(0));
    }

    public String symbol() {
        return symbol;
    }

    public String source() {
        return source;
    }

    /** Width of the ink's bounding box. */
    public int width() {
        return ink.width();
    }

    /** Height of the ink's bounding box. */
    public int height() {
        return ink.height();
    }

    public int channels() {
        return ink.channels();
    }

    public int margin() {
        return margin;
    }

    /** The glyph with its white margin, as an image of its own. */
    public BufferedImage image() {
        int ch = ink.channels();
        Pixels padded = Pixels.filled(width() + 2 * margin, height() + 2 * margin, ch, white(ch));
        padded.paste(ink, margin, margin, false);
        return padded.toImage();
    }

    /** The tight ink pixels (a copy). */
    Pixels ink() {
        return ink.copy();
    }

    static int[] white(int channels) {
        return channels == 3 ? new int[] {255, 255, 255} : new int[] {255};
    }

    @Override
    public String toString() {
        return "Glyph[" + symbol + " " + width() + "x" + height() + (source.isEmpty() ? "" : " from " + source) + "]";
    }
}
