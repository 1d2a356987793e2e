package dev.loupe.augment.image;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import java.util.function.IntBinaryOperator;

/** Small images with known pixels, read back as raw samples (never getRGB, which gamma-converts gray). */
public final class TestImages {

    private TestImages() {
    }

    public static BufferedImage gray(int width, int height, int value) {
        return gray(width, height, (x, y) -> value);
    }

    public static BufferedImage gray(int width, int height, IntBinaryOperator valueAt) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.getRaster().setSample(x, y, 0, valueAt.applyAsInt(x, y));
        }
        return image;
    }

    /** Every pixel different-ish: catches any operation that moves, blends or drops a pixel it should not. */
    public static BufferedImage noiseGray(int width, int height, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return gray(width, height, (x, y) -> rnd.nextInt(256));
    }

    public static BufferedImage noiseRgb(int width, int height, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, rnd.nextInt(1 << 24));
        }
        return image;
    }

    public static BufferedImage rgb(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, rgb);
        }
        return image;
    }

    /** White page with black filled rectangles {x, y, w, h}. */
    public static BufferedImage whiteWithInk(int width, int height, int[]... boxes) {
        return gray(width, height, (x, y) -> {
            for (int[] b : boxes) {
                if (x >= b[0] && x < b[0] + b[2] && y >= b[1] && y < b[1] + b[3]) return 0;
            }
            return 255;
        });
    }

    public static int at(BufferedImage image, int x, int y) {
        return image.getRaster().getSample(x, y, 0);
    }

    public static int[] samples(BufferedImage image) {
        return image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
    }

    public static int count(BufferedImage image, int value) {
        int n = 0;
        for (int v : samples(image)) if (v == value) n++;
        return n;
    }
}
