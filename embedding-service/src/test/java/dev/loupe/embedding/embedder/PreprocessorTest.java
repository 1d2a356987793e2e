package dev.loupe.embedding.embedder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessorTest {

    private final Preprocessor gray64 = Preprocessor.gray64();

    static List<String> fixtures() {
        return Fixtures.IMAGES;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void resizedPixelsEqualPil(String fixture) throws Exception {
        byte[][] planes = gray64.resizedPlanes(Fixtures.png(fixture));

        assertEquals(1, planes.length);
        byte[] expected = Fixtures.expectedGray64(fixture);
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs((expected[i] & 0xff) - (planes[0][i] & 0xff)));
        }
        assertEquals(0, worst, fixture + ": max abs difference to PIL");
    }

    @Test
    void tensorIsOneMinusValueOver255InChannelRowColumnOrder() throws Exception {
        float[] tensor = gray64.process(Fixtures.png("gray_gradient_200x150"));
        byte[] expected = Fixtures.expectedGray64("gray_gradient_200x150");

        assertEquals("loupe-gray64-v1", gray64.contract());
        assertEquals(64 * 64, tensor.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(1f - (expected[i] & 0xff) / 255f, tensor[i], 0f, "pixel " + i);
        }
    }

    @Test
    void grayIsReplicatedAndNormalisedPerChannelForThreeChannelModels() throws Exception {
        var norm = new Normalization(new float[]{0.1f, 0.2f, 0.3f}, new float[]{0.5f, 1f, 2f});
        var rgbModel = new Preprocessor(64, ColorMode.GRAY, 3, norm, Preprocessor.DEFAULT_MAX_PIXELS);
        float[] tensor = rgbModel.process(Fixtures.png("rgba_shapes_80x120"));
        float[] gray = gray64.process(Fixtures.png("rgba_shapes_80x120"));

        assertEquals(3 * 64 * 64, tensor.length);
        float[] mean = {0.1f, 0.2f, 0.3f};
        float[] std = {0.5f, 1f, 2f};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < gray.length; i += 97) {
                assertEquals((gray[i] - mean[c]) / std[c], tensor[c * 4096 + i], 0f);
            }
        }
    }

    @Test
    void whiteImageGivesZerosAndBlackGivesOnes() throws Exception {
        assertArrayEquals(new float[64 * 64], gray64.process(png(solid(30, 10, 0xffffff))));
        float[] black = gray64.process(png(solid(64, 64, 0x000000)));
        for (float v : black) {
            assertEquals(1f, v);
        }
    }

    @Test
    void rgbModeKeepsColourPlanes() throws Exception {
        var rgb = new Preprocessor(16, ColorMode.RGB, 3, null, Preprocessor.DEFAULT_MAX_PIXELS);
        byte[][] planes = rgb.resizedPlanes(png(solid(16, 16, 0xff8000)));

        assertEquals("loupe-rgb16-v1", rgb.contract());
        assertEquals(3, planes.length);
        assertEquals(255, planes[0][0] & 0xff);
        assertEquals(128, planes[1][0] & 0xff);
        assertEquals(0, planes[2][0] & 0xff);
    }

    @Test
    void undecodableBytesAreAnImageDecodeException() {
        var e = assertThrows(ImageDecodeException.class, () -> gray64.process("not an image".getBytes()));
        assertTrue(e.getMessage().contains("unrecognised"), e.getMessage());
        assertThrows(ImageDecodeException.class, () -> gray64.process(new byte[0]));
        byte[] truncated = java.util.Arrays.copyOf(Fixtures.png("rgb_noise_97x61"), 200);
        assertThrows(ImageDecodeException.class, () -> gray64.process(truncated));
    }

    @Test
    void imagesAboveThePixelLimitAreRefusedBeforeDecoding() throws Exception {
        var small = new Preprocessor(64, ColorMode.GRAY, 1, null, 100 * 100);
        var e = assertThrows(ImageDecodeException.class, () -> small.process(png(solid(101, 100, 0))));
        assertTrue(e.getMessage().contains("10100 pixels"), e.getMessage());
        small.process(png(solid(100, 100, 0)));
    }

    @Test
    void invalidConfigurationIsRejectedWithAReason() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Preprocessor(64, ColorMode.RGB, 1, null, 1000));
        assertEquals("color mode RGB needs 3 input channels, got 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[]{0f}, new float[]{0f}));
    }

    @Test
    void coefficientsAreNormalisedToFixedPointOne() {
        for (int in : new int[]{5, 64, 97, 523, 4001}) {
            var c = BilinearResampler.compute(in, 64);
            for (int x = 0; x < 64; x++) {
                int sum = 0;
                for (int t = 0; t < c.len()[x]; t++) {
                    sum += c.k()[x * c.ksize() + t];
                }
                assertTrue(Math.abs(sum - (1 << 22)) <= c.len()[x], in + "->64 pixel " + x + " sums to " + sum);
            }
        }
    }

    static BufferedImage solid(int w, int h, int rgb) {
        var image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    static byte[] png(BufferedImage image) throws IOException {
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
