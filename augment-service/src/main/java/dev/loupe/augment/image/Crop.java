package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/** Cuts out a box; the box must lie inside the image (checked on apply, naming the coordinate that does not fit). */
public record Crop(Rect box) implements Operation {

    public static final String NAME = "crop";

    public Crop {
        if (box == null) throw new InvalidOperationException("box", "is required");
    }

    public Crop(int x, int y, int width, int height) {
        this(new Rect(x, y, width, height));
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Params.ordered("x", box.x(), "y", box.y(), "width", box.width(), "height", box.height());
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        box.requireInside(image.width(), image.height());
        return image.region(box);
    }
}
