package dev.loupe.augment.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

import static dev.loupe.augment.image.TestImages.at;
import static dev.loupe.augment.image.TestImages.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RotateTest {

    private final SplittableRandom rnd = new SplittableRandom(1);

    @Test
    void fourQuarterTurnsOfASquareImageGiveTheInputBackExactly() {
        BufferedImage in = TestImages.noiseGray(31, 31, 3);
        BufferedImage out = in;
        for (int i = 0; i < 4; i++) out = new Rotate(90).apply(out, rnd);
        assertArrayEquals(samples(in), samples(out));
    }

    @Test
    void fourQuarterTurnsWorkOnEvenSidesToo() {
        BufferedImage in = TestImages.noiseRgb(24, 24, 4);
        BufferedImage out = in;
        for (int i = 0; i < 4; i++) out = new Rotate(-90).apply(out, rnd);
        assertArrayEquals(samples(in), samples(out));
    }

    @Test
    void positiveDegreesTurnCounterClockwise() {
        // A dark pixel right of the centre must end up above it.
        BufferedImage in = TestImages.whiteWithInk(9, 9, new int[] {7, 4, 1, 1});
        BufferedImage out = new Rotate(90).apply(in, rnd);
        assertEquals(0, at(out, 4, 1));
        assertEquals(255, at(out, 7, 4));
        assertEquals(80, TestImages.count(out, 255));
    }

    @Test
    void tenDegreesOfAnAllWhiteImageStayExactlyWhite() {
        BufferedImage out = new Rotate(10).apply(TestImages.gray(264, 255, 255), rnd);
        assertEquals(264 * 255, TestImages.count(out, 255));
    }

    @Test
    void tenDegreesOfAWhitePageWithInkKeepsTheFarPaperExactlyWhite() {
        BufferedImage in = TestImages.whiteWithInk(120, 100, new int[] {55, 20, 10, 60});
        BufferedImage out = new Rotate(10).apply(in, rnd);
        assertEquals(120, out.getWidth());
        assertEquals(100, out.getHeight());
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 30; x++) assertEquals(255, at(out, x, y), "paper at " + x + "," + y);
        }
        assertEquals(0, at(out, 60, 50), "the stroke's centre stays ink");
    }

    @Test
    void newCornersAreFilledWithTheBorderMedianNotBlack() {
        // Gray paper (200) with a black blob on part of the border: the fill is the paper, not the blob.
        BufferedImage in = TestImages.gray(50, 50, (x, y) -> x < 10 && y < 10 ? 0 : 200);
        BufferedImage out = new Rotate(30).apply(in, rnd);
        assertEquals(200, at(out, 49, 0));
        assertEquals(200, at(out, 0, 49));
    }

    @Test
    void rotatingRgbFillsWithTheRgbBackground() {
        BufferedImage out = new Rotate(45).apply(TestImages.rgb(40, 30, 0x10A0F0), rnd);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) assertEquals(0x10A0F0, out.getRGB(x, y) & 0xFFFFFF);
        }
    }

    @Test
    void zeroAndFullTurnsAreTheIdentity() {
        BufferedImage in = TestImages.noiseGray(20, 13, 5);
        assertArrayEquals(samples(in), samples(new Rotate(0).apply(in, rnd)));
        assertArrayEquals(samples(in), samples(new Rotate(360).apply(in, rnd)));
    }

    @Test
    void resultStaysInTheInputsValueRange() {
        BufferedImage in = TestImages.whiteWithInk(60, 60, new int[] {20, 10, 3, 40}, new int[] {35, 10, 3, 40});
        for (int v : samples(new Rotate(7.5).apply(in, rnd))) assertTrue(v >= 0 && v <= 255);
    }

    @Test
    void nanOrInfiniteAngleIsInvalidNamingDegrees() {
        var e = assertThrows(InvalidOperationException.class, () -> new Rotate(Double.NaN));
        assertEquals("degrees", e.parameter());
        assertTrue(e.getMessage().startsWith("degrees: "), e.getMessage());
        assertEquals("degrees", assertThrows(InvalidOperationException.class,
                () -> new Rotate(Double.POSITIVE_INFINITY)).parameter());
    }

    @Test
    void normalisedDegreesFoldIntoPlusMinus180() {
        assertEquals(-10, new Rotate(350).normalisedDegrees(), 1e-9);
        assertEquals(180, new Rotate(-180).normalisedDegrees(), 1e-9);
        assertEquals(10, new Rotate(730).normalisedDegrees(), 1e-9);
    }
}
