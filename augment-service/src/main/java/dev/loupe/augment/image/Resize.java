package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Resizes to exactly {@code width} x {@code height} (the aspect ratio may change; fit-to-box is the caller's
 * arithmetic). Bicubic when enlarging, bicubic stretched into an area filter when shrinking, edges repeated.
 */
public record Resize(int width, int height) implements Operation {

    public static final String NAME = "resize";
    public static final int MAX_SIDE = 8192;

    public Resize {
        if (width < 1 || width > MAX_SIDE) {
            throw new InvalidOperationException("width", "must be between 1 and " + MAX_SIDE + ", was " + width);
        }
        if (height < 1 || height > MAX_SIDE) {
            throw new InvalidOperationException("height", "must be between 1 and " + MAX_SIDE + ", was " + height);
        }
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Params.ordered("width", width, "height", height);
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        if (width == image.width() && height == image.height()) return image.copy();
        double sx = (double) width / image.width(), sy = (double) height / image.height();
        // Pixel centres line up (the "half-pixel" convention), so the image does not drift by half a pixel.
        return Resampler.axisAligned(image, width, height, 1 / sx, 0.5 / sx - 0.5, 1 / sy, 0.5 / sy - 0.5,
                sx, sy, Resampler.Edge.CLAMP, image.background());
    }
}
