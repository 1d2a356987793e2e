package dev.loupe.augment.image;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Gaussian blur. {@code radius} is the standard deviation in pixels (as in most image tools' "radius"); the kernel
 * reaches 3 radii each way and is applied as two separable 1-D passes. Edges repeat the border pixel, so a flat
 * image stays exactly flat and no dark or light rim appears. Radius 0 is the identity.
 */
public record Blur(double radius) implements Operation {

    public static final String NAME = "blur";
    public static final double MAX_RADIUS = 50;

    public Blur {
        if (Double.isNaN(radius) || radius < 0) {
            throw new InvalidOperationException("radius", "must be >= 0, was " + radius);
        }
        if (radius > MAX_RADIUS) {
            throw new InvalidOperationException("radius", "must be <= " + MAX_RADIUS + ", was " + radius);
        }
    }

    @Override
    public String op() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Params.ordered("radius", radius);
    }

    @Override
    public Pixels apply(Pixels image, RandomGenerator random) {
        if (radius == 0) return image.copy();
        double[] kernel = kernel(radius);
        int half = kernel.length / 2;
        int w = image.width(), h = image.height(), ch = image.channels();
        double[] rows = new double[w * h * ch];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < ch; c++) {
                    double acc = 0;
                    for (int k = -half; k <= half; k++) {
                        int i = Math.max(0, Math.min(w - 1, x + k));
                        acc += kernel[k + half] * image.get(i, y, c);
                    }
                    rows[(y * w + x) * ch + c] = acc;
                }
            }
        }
        int[] out = new int[w * h * ch];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < ch; c++) {
                    double acc = 0;
                    for (int k = -half; k <= half; k++) {
                        int j = Math.max(0, Math.min(h - 1, y + k));
                        acc += kernel[k + half] * rows[(j * w + x) * ch + c];
                    }
                    out[(y * w + x) * ch + c] = Pixels.toByte(acc);
                }
            }
        }
        return Pixels.wrap(w, h, ch, out);
    }

    static double[] kernel(double sigma) {
        int half = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * half + 1];
        double sum = 0;
        for (int i = -half; i <= half; i++) sum += k[i + half] = Math.exp(-(i * (double) i) / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        return k;
    }
}
