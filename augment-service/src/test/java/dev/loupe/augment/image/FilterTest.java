package dev.loupe.augment.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

import static dev.loupe.augment.image.TestImages.at;
import static dev.loupe.augment.image.TestImages.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blur and noise. */
class FilterTest {

    private final SplittableRandom rnd = new SplittableRandom(1);

    @Test
    void blurOfAConstantImageIsUnchanged() {
        BufferedImage out = new Blur(3.7).apply(TestImages.gray(50, 40, 64), rnd);
        assertEquals(50 * 40, TestImages.count(out, 64));
        BufferedImage rgb = new Blur(2).apply(TestImages.rgb(20, 20, 0x336699), rnd);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) assertEquals(0x336699, rgb.getRGB(x, y) & 0xFFFFFF);
        }
    }

    @Test
    void blurRadiusZeroIsTheIdentity() {
        BufferedImage in = TestImages.noiseGray(25, 25, 9);
        assertArrayEquals(samples(in), samples(new Blur(0).apply(in, rnd)));
    }

    @Test
    void blurSpreadsADotSymmetricallyAndKeepsItsInk() {
        BufferedImage in = TestImages.gray(21, 21, (x, y) -> x == 10 && y == 10 ? 0 : 255);
        BufferedImage out = new Blur(1).apply(in, rnd);
        assertTrue(at(out, 10, 10) > 0 && at(out, 10, 10) < 255);
        assertEquals(at(out, 9, 10), at(out, 11, 10));
        assertEquals(at(out, 10, 9), at(out, 10, 11));
        assertEquals(at(out, 9, 10), at(out, 10, 9));
        assertEquals(255, at(out, 0, 0));
        long ink = 0;
        for (int v : samples(out)) ink += 255 - v;
        assertEquals(255, ink, 6, "total ink is preserved up to rounding");
    }

    @Test
    void negativeOrNanBlurRadiusIsInvalidNamingRadius() {
        var e = assertThrows(InvalidOperationException.class, () -> new Blur(-1));
        assertEquals("radius", e.parameter());
        assertEquals("radius: must be >= 0, was -1.0", e.getMessage());
        assertEquals("radius", assertThrows(InvalidOperationException.class, () -> new Blur(Double.NaN)).parameter());
    }

    @Test
    void gaussianNoiseWithTheSameSeedIsByteIdenticalAndAnotherSeedDiffers() {
        BufferedImage in = TestImages.gray(64, 48, 128);
        GaussianNoise noise = new GaussianNoise(12);
        byte[] a = Png.encode(noise.apply(in, new SplittableRandom(42)));
        byte[] b = Png.encode(noise.apply(in, new SplittableRandom(42)));
        byte[] c = Png.encode(noise.apply(in, new SplittableRandom(43)));
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void gaussianNoiseHasTheRequestedSpread() {
        BufferedImage out = new GaussianNoise(10).apply(TestImages.gray(100, 100, 128), new SplittableRandom(5));
        double sum = 0, sq = 0;
        for (int v : samples(out)) {
            sum += v;
            sq += (v - 128.0) * (v - 128.0);
        }
        assertEquals(128, sum / 10_000, 0.5);
        assertEquals(10, Math.sqrt(sq / 10_000), 0.5);
    }

    @Test
    void saltAndPepperReplacesAboutTheAmountWithBlackOrWhite() {
        BufferedImage out = new SaltAndPepperNoise(0.1).apply(TestImages.gray(100, 100, 128), new SplittableRandom(5));
        int black = TestImages.count(out, 0), white = TestImages.count(out, 255), kept = TestImages.count(out, 128);
        assertEquals(10_000, black + white + kept);
        assertEquals(1000, black + white, 100);
        assertEquals(black, white, 100);
    }

    @Test
    void saltAndPepperWithTheSameSeedIsIdentical() {
        BufferedImage in = TestImages.noiseRgb(30, 30, 1);
        var op = new SaltAndPepperNoise(0.3);
        assertArrayEquals(samples(op.apply(in, new SplittableRandom(7))), samples(op.apply(in, new SplittableRandom(7))));
    }

    @Test
    void noiseParametersOutOfRangeAreInvalidNamingTheParameter() {
        assertEquals("sigma", assertThrows(InvalidOperationException.class, () -> new GaussianNoise(-0.1)).parameter());
        assertEquals("amount", assertThrows(InvalidOperationException.class, () -> new SaltAndPepperNoise(1.5)).parameter());
        assertEquals("amount", assertThrows(InvalidOperationException.class, () -> new SaltAndPepperNoise(Double.NaN)).parameter());
    }
}
