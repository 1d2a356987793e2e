package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Rect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How to cut a glyph out of an image: erase regions first (in image coordinates), then keep only {@code box} (the
 * whole image when null), then trim to the ink's bounding box and pad {@code margin} white pixels around it.
 */
public record Cut(List<Rect> erase, Rect box, int margin, int inkThreshold) {

    public static final int DEFAULT_MARGIN = 2;

    public Cut {
        erase = List.copyOf(erase);
        if (margin < 0 || margin > 256) throw new InvalidOperationException("margin", "must be between 0 and 256, was " + margin);
        if (inkThreshold < 1 || inkThreshold > 254) {
            throw new InvalidOperationException("inkThreshold", "must be between 1 and 254, was " + inkThreshold);
        }
    }

    /** The whole image, nothing erased, default margin and ink threshold. */
    public static Cut whole() {
        return new Cut(List.of(), null, DEFAULT_MARGIN, InkMask.DEFAULT_THRESHOLD);
    }

    public Cut erasing(Rect... rects) {
        List<Rect> all = new ArrayList<>(erase);
        all.addAll(Arrays.asList(rects));
        return new Cut(all, box, margin, inkThreshold);
    }

    public Cut within(Rect box) {
        return new Cut(erase, box, margin, inkThreshold);
    }

    public Cut withMargin(int margin) {
        return new Cut(erase, box, margin, inkThreshold);
    }

    public Cut withInkThreshold(int inkThreshold) {
        return new Cut(erase, box, margin, inkThreshold);
    }
}
