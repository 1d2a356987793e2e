package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/** Mirrors left to right (about the vertical axis). Exact: applying it twice gives the input back. */
public record MirrorLr() implements Operation {

    public static final String NAME = "mirror-lr";

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
        return image.mirrored(true);
    }
}
