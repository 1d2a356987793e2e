package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Pixels;
import dev.loupe.augment.image.Rect;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Which pixels are ink: darker than the background ({@link Pixels#background()}) by more than {@code threshold}
 * levels of luminance. Relative to the background, not absolute, so yellowed paper or a gray scan works the same
 * as the DCAI set's pure white; the default threshold keeps the set's gray pencil level (64) as ink and ignores
 * faint scanner dust.
 */
public final class InkMask {

    public static final int DEFAULT_THRESHOLD = 48;

    private final int width;
    private final int height;
    private final BitSet ink;

    private InkMask(int width, int height, BitSet ink) {
        this.width = width;
        this.height = height;
        this.ink = ink;
    }

    public static InkMask of(BufferedImage image, int threshold) {
        return of(Pixels.of(image), threshold);
    }

    public static InkMask of(Pixels image, int threshold) {
        return of(image, threshold, image.background());
    }

    /** With an explicit background, e.g. the whole image's when looking at a part of it. */
    static InkMask of(Pixels image, int threshold, int[] background) {
        if (threshold < 1 || threshold > 254) {
            throw new InvalidOperationException("inkThreshold", "must be between 1 and 254, was " + threshold);
        }
        int paper = luminance(background);
        BitSet ink = new BitSet(image.width() * image.height());
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (image.luminance(x, y) < paper - threshold) ink.set(y * image.width() + x);
            }
        }
        return new InkMask(image.width(), image.height(), ink);
    }

    static int luminance(int[] colour) {
        return colour.length == 1 ? colour[0] : (299 * colour[0] + 587 * colour[1] + 114 * colour[2] + 500) / 1000;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public boolean isInk(int x, int y) {
        return ink.get(y * width + x);
    }

    public int count() {
        return ink.cardinality();
    }

    /** The bounding box of all ink; empty when there is none. */
    public Optional<Rect> bounds() {
        return bounds(new Span(0, width));
    }

    /** The bounding box of the ink within a range of columns. */
    public Optional<Rect> bounds(Span columns) {
        int minX = Integer.MAX_VALUE, maxX = -1, minY = Integer.MAX_VALUE, maxY = -1;
        for (int y = 0; y < height; y++) {
            for (int x = columns.start(); x < Math.min(columns.end(), width); x++) {
                if (isInk(x, y)) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? Optional.empty() : Optional.of(new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1));
    }

    /** Ink pixels per column: the projection profile that separates the letters of a numeral. */
    public int[] columnCounts() {
        int[] counts = new int[width];
        for (int i = ink.nextSetBit(0); i >= 0; i = ink.nextSetBit(i + 1)) counts[i % width]++;
        return counts;
    }

    /**
     * Runs of columns that hold ink, separated by at least one ink-free column, left to right. Runs with fewer than
     * {@code minInk} ink pixels are dropped as specks, so dust between letters does not count as a letter.
     */
    public List<Span> columnGroups(int minInk) {
        int[] counts = columnCounts();
        List<Span> groups = new ArrayList<>();
        int x = 0;
        while (x < width) {
            if (counts[x] == 0) {
                x++;
                continue;
            }
            int start = x, total = 0;
            while (x < width && counts[x] > 0) total += counts[x++];
            if (total >= minInk) groups.add(new Span(start, x));
        }
        return groups;
    }

    /** For each column group, the bounding box of its ink: where to cut each letter of a cleanly spaced numeral. */
    public List<Rect> groupBoxes(int minInk) {
        return columnGroups(minInk).stream().map(span -> bounds(span).orElseThrow()).toList();
    }
}
