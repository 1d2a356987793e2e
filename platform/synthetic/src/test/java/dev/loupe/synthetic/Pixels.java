package dev.loupe.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Test helper: decodes with ImageIO (an independent decoder) and counts gray levels. */
final class Pixels {

    final int width, height;
    final int[] values;

    private Pixels(BufferedImage image) {
        width = image.getWidth();
        height = image.getHeight();
        values = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
    }

    static Pixels decode(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(image, "ImageIO could not decode the PNG");
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType(), "not 8-bit gray");
            assertEquals(1, image.getRaster().getNumBands());
            assertEquals(8, image.getColorModel().getComponentSize(0));
            return new Pixels(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Pixels of(BufferedImage image) {
        return new Pixels(image);
    }

    int count(int value) {
        int n = 0;
        for (int v : values) if (v == value) n++;
        return n;
    }

    double fraction(int value) {
        return (double) count(value) / values.length;
    }

    int ink() {
        return values.length - count(255);
    }

    /** Width / height of the bounding box of non-white pixels. */
    double inkAspect() {
        int minX = width, maxX = -1, minY = height, maxY = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (values[y * width + x] != 255) {
                    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? 0 : (maxX - minX + 1.0) / (maxY - minY + 1.0);
    }
}
