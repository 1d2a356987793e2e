package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Shifts the content by ({@code dx}, {@code dy}) pixels, right and down positive; the canvas keeps its size and
 * the uncovered strip is background. Whole-pixel shifts copy exactly; fractional ones are bicubic.
 */
public record Translate(double dx, double dy) implements Operation {

    public static final String NAME = "translate";

    public Translate {
        if (!Double.isFinite(dx)) throw new InvalidOperationException("dx", "must be a finite number, was " + dx);
        if (!Double.isFinite(dy)) throw new InvalidOperationException("dy", "must be a finite number, was " + dy);
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Params.ordered("dx", dx, "dy", dy);
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        return Resampler.axisAligned(image, image.width(), image.height(), 1, -dx, 1, -dy, 1, 1,
                Resampler.Edge.FILL, image.background());
    }
}
