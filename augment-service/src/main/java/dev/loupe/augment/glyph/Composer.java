package dev.loupe.augment.glyph;

import dev.loupe.augment.image.Crop;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Pixels;
import dev.loupe.augment.image.Resize;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Sets glyphs side by side into a new image: e.g. V, I, I gives a VII. Each glyph is scaled to a common ink
 * height (with jitter), bottoms sit on a shared baseline (with jitter), gaps follow the layout (with jitter). The
 * canvas is white, glyphs are blended darkest-wins (per channel minimum), so overlapping strokes stay clean
 * instead of one glyph's white box covering the other's ink. The result is trimmed to its non-white pixels and
 * padded evenly, so the ink is centred.
 */
public final class Composer {

    /** Upper bound on the canvas side, so a bad layout cannot ask for gigabytes. */
    public static final int MAX_SIDE = 8192;
    public static final int MAX_GLYPHS = 64;

    /** White border kept around a glyph while resizing, so its outer edges are smoothed like the inner ones. */
    private static final int RESIZE_BORDER = 2;

    private Composer() {
    }

    public static BufferedImage compose(List<Glyph> glyphs, Layout layout, RandomGenerator random) {
        return composePixels(glyphs, layout, random).toImage();
    }

    static Pixels composePixels(List<Glyph> glyphs, Layout layout, RandomGenerator random) {
        if (glyphs == null || glyphs.isEmpty()) throw new InvalidOperationException("glyphs", "must not be empty");
        if (glyphs.size() > MAX_GLYPHS) throw new InvalidOperationException("glyphs", "at most " + MAX_GLYPHS + ", was " + glyphs.size());
        int channels = glyphs.stream().anyMatch(g -> g.channels() == 3) ? 3 : 1;
        double height = layout.glyphHeight() > 0 ? layout.glyphHeight() : medianHeight(glyphs);

        // Place first (in double pixels), then size the canvas around what was placed.
        List<Placed> placed = new ArrayList<>();
        double cursor = 0;
        for (Glyph g : glyphs) {
            double scale = height / g.height() * (1 + jitter(random, layout.scaleJitter()));
            Pixels scaled = scaled(g, scale, channels);
            double border = RESIZE_BORDER * scale;
            double inkW = g.width() * scale, inkH = g.height() * scale;
            double baseline = jitter(random, layout.baselineJitter().pixels(height));
            int left = (int) Math.round(cursor - border);
            int top = (int) Math.round(baseline - inkH - border);
            placed.add(new Placed(scaled, left, top));
            cursor += inkW + layout.spacing().pixels(height) + jitter(random, layout.spacingJitter().pixels(height));
        }
        int minX = placed.stream().mapToInt(Placed::left).min().orElseThrow();
        int minY = placed.stream().mapToInt(Placed::top).min().orElseThrow();
        int maxX = placed.stream().mapToInt(p -> p.left() + p.pixels().width()).max().orElseThrow();
        int maxY = placed.stream().mapToInt(p -> p.top() + p.pixels().height()).max().orElseThrow();
        checkSize((long) maxX - minX, (long) maxY - minY);
        Pixels canvas = Pixels.filled(maxX - minX, maxY - minY, channels, Glyph.white(channels));
        for (Placed p : placed) {
            canvas.paste(p.pixels(), p.left() - minX, p.top() - minY, true);
        }
        return padded(canvas, layout.padding());
    }

    /** Trims to the pixels that are not pure white and pads evenly, so the ink is centred whatever was placed. */
    private static Pixels padded(Pixels canvas, int padding) {
        int minX = canvas.width(), minY = canvas.height(), maxX = -1, maxY = -1;
        for (int y = 0; y < canvas.height(); y++) {
            for (int x = 0; x < canvas.width(); x++) {
                for (int c = 0; c < canvas.channels(); c++) {
                    if (canvas.get(x, y, c) != 255) {
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                        break;
                    }
                }
            }
        }
        if (maxX < 0) {
            minX = minY = 0;
            maxX = canvas.width() - 1;
            maxY = canvas.height() - 1;
        }
        int w = maxX - minX + 1, h = maxY - minY + 1;
        checkSize(w + 2L * padding, h + 2L * padding);
        Pixels out = Pixels.filled(w + 2 * padding, h + 2 * padding, canvas.channels(), Glyph.white(canvas.channels()));
        out.paste(new Crop(minX, minY, w, h).apply(canvas, null), padding, padding, false);
        return out;
    }

    private static void checkSize(long width, long height) {
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new InvalidOperationException("layout", "the composite would be " + width + "x" + height
                    + " pixels, more than " + MAX_SIDE + " a side");
        }
    }

    private record Placed(Pixels pixels, int left, int top) {
    }

    /** The glyph's ink with a white border, resized by {@code scale}, in the canvas's channel count. */
    private static Pixels scaled(Glyph glyph, double scale, int channels) {
        Pixels ink = glyph.ink();
        if (channels == 3) ink = ink.toRgb();
        Pixels bordered = Pixels.filled(ink.width() + 2 * RESIZE_BORDER, ink.height() + 2 * RESIZE_BORDER, channels,
                Glyph.white(channels));
        bordered.paste(ink, RESIZE_BORDER, RESIZE_BORDER, false);
        int w = (int) Math.max(1, Math.round(bordered.width() * scale));
        int h = (int) Math.max(1, Math.round(bordered.height() * scale));
        if (w > MAX_SIDE || h > MAX_SIDE) {
            throw new InvalidOperationException("glyphHeight", "scales glyph " + glyph + " beyond " + MAX_SIDE + " pixels");
        }
        return new Resize(w, h).apply(bordered, null);
    }

    /** Uniform in [-amount, amount]; draws even when amount is 0 so the stream does not depend on the layout. */
    private static double jitter(RandomGenerator random, double amount) {
        return (random.nextDouble() * 2 - 1) * amount;
    }

    private static double medianHeight(List<Glyph> glyphs) {
        int[] heights = glyphs.stream().mapToInt(Glyph::height).toArray();
        Arrays.sort(heights);
        return heights[(heights.length - 1) / 2];
    }
}
