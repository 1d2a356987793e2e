package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Rotates the content about the image centre by {@code degrees}, counter-clockwise as seen on screen (positive
 * turns the top to the left). The canvas keeps its size: corners that come in are filled with the background
 * ({@link Pixels#background()}) and content rotated past the edge is cut off. Bicubic sampling; multiples of 90
 * degrees on a square image move pixels exactly.
 */
public record Rotate(double degrees) implements Operation {

    public static final String NAME = "rotate";

    public Rotate {
        if (!Double.isFinite(degrees)) {
            throw new InvalidOperationException("degrees", "must be a finite number, was " + degrees);
        }
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Params.ordered("degrees", degrees);
    }

    /** The same turn in (-180, 180]: what a label policy compares with its limits. */
    public double normalisedDegrees() {
        double d = degrees % 360;
        if (d > 180) d -= 360;
        if (d <= -180) d += 360;
        return d;
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        double d = normalisedDegrees();
        if (d == 0) return image.copy();
        double rad = Math.toRadians(d);
        double cos = Math.cos(rad), sin = Math.sin(rad);
        double cx = (image.width() - 1) / 2.0, cy = (image.height() - 1) / 2.0;
        // Output pixel (x, y) reads the source at the inverse rotation of its offset from the centre.
        double[] m = {cos, -sin, cx - cos * cx + sin * cy,
                      sin, cos, cy - sin * cx - cos * cy};
        return Resampler.affine(image, m, image.background());
    }
}
