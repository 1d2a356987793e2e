package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/** Mirrors top to bottom (about the horizontal axis). Exact: applying it twice gives the input back. */
public record MirrorTb() implements Operation {

    public static final String NAME = "mirror-tb";

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of();
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        return image.mirrored(false);
    }
}
