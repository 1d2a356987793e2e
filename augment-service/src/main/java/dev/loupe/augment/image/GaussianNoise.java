package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Adds zero-mean Gaussian noise with standard deviation {@code sigma} gray levels to every channel of every pixel
 * (row by row, so the output depends only on the image and the seed). Map form:
 * {@code {"op":"noise","params":{"type":"gaussian","sigma":8}}}.
 */
public record GaussianNoise(double sigma) implements Operation {

    public static final String NAME = "noise";
    public static final String TYPE = "gaussian";

    public GaussianNoise {
        if (!Double.isFinite(sigma) || sigma < 0 || sigma > 255) {
            throw new InvalidOperationException("sigma", "must be between 0 and 255, was " + sigma);
        }
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Params.ordered("type", TYPE, "sigma", sigma);
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        Pixels out = image.copy();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                for (int c = 0; c < image.channels(); c++) {
                    out.set(x, y, c, Pixels.toByte(image.get(x, y, c) + random.nextGaussian() * sigma));
                }
            }
        }
        return out;
    }
}
