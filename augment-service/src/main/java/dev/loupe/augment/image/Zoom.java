package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Scales the content by {@code factor} about the image centre; the canvas keeps its size. Above 1 it zooms in
 * (edges are cut off), below 1 it zooms out and the new margin is background. Bicubic, area-filtered when
 * shrinking. The map form also accepts the name {@code scale}.
 */
public record Zoom(double factor) implements Operation {

    public static final String NAME = "zoom";
    public static final double MIN = 0.05, MAX = 20;

    public Zoom {
        if (!Double.isFinite(factor) || factor < MIN || factor > MAX) {
            throw new InvalidOperationException("factor", "must be between " + MIN + " and " + MAX + ", was " + factor);
        }
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Params.ordered("factor", factor);
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        if (factor == 1) return image.copy();
        double cx = (image.width() - 1) / 2.0, cy = (image.height() - 1) / 2.0;
        double inv = 1 / factor;
        return Resampler.axisAligned(image, image.width(), image.height(),
                inv, cx - cx * inv, inv, cy - cy * inv, factor, factor, Resampler.Edge.FILL, image.background());
    }
}
