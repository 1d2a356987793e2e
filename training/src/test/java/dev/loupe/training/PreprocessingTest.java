package dev.loupe.training;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PreprocessingTest {

    private static final int P = 32 * 32;

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** 64x64 -> 32x32 with half-pixel centres samples at 2i + 0.5: each output is the mean of a 2x2 block. */
    @Test
    void halvingAveragesTwoByTwoBlocksAndSubtractsBgrMeans() throws Exception {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int r = (x % 2 == 0) ? 200 : 100;     // block mean 150
                int g = (y % 2 == 0) ? 10 : 20;       // block mean 15
                int b = (x + y) % 2 == 0 ? 255 : 0;   // block mean 127.5
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        float[] input = Preprocessing.preprocess(png(image));
        assertEquals(3 * P, input.length);
        for (int i = 0; i < P; i++) {
            assertEquals(127.5f - 103.939f, input[i], 1e-4, "B plane first");
            assertEquals(15f - 116.779f, input[P + i], 1e-4, "G plane second");
            assertEquals(150f - 123.68f, input[2 * P + i], 1e-4, "R plane last");
        }
    }

    /**
     * A 2x2 gray image stretched to 32x32: scale 1/16, so output x samples at (x + 0.5) / 16 - 0.5, clamped to the
     * edge pixels below 0 and above 1 (TensorFlow's ResizeBilinear, half_pixel_centers=True).
     */
    @Test
    void upscalingMatchesTensorFlowHalfPixelBilinear() throws Exception {
        BufferedImage gray = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 0);
        gray.getRaster().setSample(1, 0, 0, 64);
        gray.getRaster().setSample(0, 1, 0, 128);
        gray.getRaster().setSample(1, 1, 0, 255);
        float[] rgb = Preprocessing.resizeBilinear(Preprocessing.decodeRgb(png(gray)), 32, 32);
        for (int c = 0; c < 3; c++) {
            // corner (0, 0): in = -0.46875 -> both taps are pixel 0
            assertEquals(0f, rgb[c * P], 1e-5);
            // (x=16, y=0): in_x = 16.5/16 - 0.5 = 0.53125, between 0 and 64
            assertEquals(0.53125f * 64, rgb[c * P + 16], 1e-4);
            // (x=31, y=31): both clamp to pixel (1, 1)
            assertEquals(255f, rgb[c * P + 31 * 32 + 31], 1e-5);
            // (x=8, y=20): in_x = 0.03125, in_y = 0.78125
            float top = 0 + 64 * 0.03125f;
            float bottom = 128 + (255 - 128) * 0.03125f;
            assertEquals(top + (bottom - top) * 0.78125f, rgb[c * P + 20 * 32 + 8], 1e-4);
        }
        // gray is replicated: B, G and R planes differ only by their means
        float[] input = Preprocessing.caffe(rgb, P);
        assertEquals(input[0] + 103.939f, input[2 * P] + 123.68f, 1e-4);
    }

    @Test
    void alphaIsDroppedNotComposited() throws Exception {
        BufferedImage argb = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                argb.setRGB(x, y, (0x10 << 24) | (30 << 16) | (60 << 8) | 90);
            }
        }
        float[] input = Preprocessing.preprocess(png(argb));
        assertEquals(90 - 103.939f, input[0], 1e-4);
        assertEquals(60 - 116.779f, input[P], 1e-4);
        assertEquals(30 - 123.68f, input[2 * P], 1e-4);
    }

    @Test
    void undecodableBytesAreRefused() {
        assertThrows(Preprocessing.ImageDecodeException.class, () -> Preprocessing.preprocess(new byte[] {1, 2, 3, 4}));
        assertThrows(Preprocessing.ImageDecodeException.class, () -> Preprocessing.preprocess(new byte[0]));
    }
}
