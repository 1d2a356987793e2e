package dev.loupe.augment.image;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Paints rectangles with the background colour ({@link Pixels#background()} of the input), e.g. to remove a stroke
 * or a stray mark. Every rectangle must lie inside the image; pixels outside them are untouched.
 */
public record Erase(List<Rect> rects) implements Operation {

    public static final String NAME = "erase";
    public static final int MAX_RECTS = 1000;

    public Erase {
        if (rects == null || rects.isEmpty()) throw new InvalidOperationException("rects", "must not be empty");
        if (rects.size() > MAX_RECTS) {
            throw new InvalidOperationException("rects", "at most " + MAX_RECTS + " rectangles, was " + rects.size());
        }
        for (int i = 0; i < rects.size(); i++) {
            if (rects.get(i) == null) throw new InvalidOperationException("rects[" + i + "]", "must not be null");
        }
        rects = List.copyOf(rects);
    }

    public Erase(Rect... rects) {
        this(List.of(rects));
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        List<Map<String, Object>> list = rects.stream()
                .map(r -> Params.ordered("x", r.x(), "y", r.y(), "width", r.width(), "height", r.height())).toList();
        return Params.ordered("rects", list);
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        for (int i = 0; i < rects.size(); i++) {
            try {
                rects.get(i).requireInside(image.width(), image.height());
            } catch (InvalidOperationException e) {
                throw e.within("rects[" + i + "]");
            }
        }
        int[] background = image.background();
        Pixels out = image.copy();
        for (Rect r : rects) {
            for (int y = r.y(); y < r.bottom(); y++) {
                for (int x = r.x(); x < r.right(); x++) out.setPixel(x, y, background);
            }
        }
        return out;
    }
}
