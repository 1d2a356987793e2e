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

/** Zoom, translate, crop and resize. */
class GeometryTest {

    private final SplittableRandom rnd = new SplittableRandom(1);

    @Test
    void zoomOneIsTheIdentity() {
        BufferedImage in = TestImages.noiseGray(30, 20, 1);
        assertArrayEquals(samples(in), samples(new Zoom(1).apply(in, rnd)));
    }

    @Test
    void zoomTwoDoublesAboutTheCentre() {
        // A 3x3 black square at the centre of a 21x21 page becomes 6x6, still centred.
        BufferedImage in = TestImages.whiteWithInk(21, 21, new int[] {9, 9, 3, 3});
        BufferedImage out = new Zoom(2).apply(in, rnd);
        assertEquals(21, out.getWidth());
        assertEquals(0, at(out, 10, 10));
        assertEquals(0, at(out, 8, 10));
        assertEquals(0, at(out, 12, 12));
        assertEquals(255, at(out, 3, 10));
        assertEquals(255, at(out, 17, 10));
    }

    @Test
    void zoomOutFillsTheNewMarginWithBackground() {
        // Paper-gray border, black inside: the margin a zoom-out opens must be the paper, not black.
        BufferedImage in = TestImages.gray(40, 40, (x, y) -> x == 0 || y == 0 || x == 39 || y == 39 ? 230 : 0);
        BufferedImage out = new Zoom(0.5).apply(in, rnd);
        assertEquals(230, at(out, 2, 2));
        assertEquals(230, at(out, 37, 20));
        assertEquals(0, at(out, 20, 20));
    }

    @Test
    void zoomFactorOutsideTheRangeIsInvalidNamingFactor() {
        assertEquals("factor", assertThrows(InvalidOperationException.class, () -> new Zoom(0)).parameter());
        assertEquals("factor", assertThrows(InvalidOperationException.class, () -> new Zoom(Double.NaN)).parameter());
        assertEquals("factor", assertThrows(InvalidOperationException.class, () -> new Zoom(100)).parameter());
    }

    @Test
    void wholePixelTranslateShiftsExactlyAndFillsWithBackground() {
        BufferedImage in = TestImages.gray(10, 8, (x, y) -> x == 0 || y == 0 || x == 9 || y == 7 ? 255 : 10 * x + y);
        BufferedImage out = new Translate(3, -2).apply(in, rnd);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 10; x++) {
                int sx = x - 3, sy = y + 2;
                int expected = sx < 0 || sy >= 8 ? 255 : at(in, sx, sy);
                assertEquals(expected, at(out, x, y), "at " + x + "," + y);
            }
        }
    }

    @Test
    void halfPixelTranslateBlendsNeighbours() {
        BufferedImage in = TestImages.gray(8, 1, (x, y) -> x < 4 ? 0 : 255);
        BufferedImage out = new Translate(0.5, 0).apply(in, rnd);
        // The edge between 3 (black) and 4 (white) is now at 4: pixel 4 is half-covered.
        assertEquals(0, at(out, 3, 0));
        assertTrue(at(out, 4, 0) > 100 && at(out, 4, 0) < 155, "was " + at(out, 4, 0));
    }

    @Test
    void translateRejectsNonFiniteShiftsNamingTheAxis() {
        assertEquals("dx", assertThrows(InvalidOperationException.class, () -> new Translate(Double.NaN, 0)).parameter());
        assertEquals("dy", assertThrows(InvalidOperationException.class, () -> new Translate(0, Double.NEGATIVE_INFINITY)).parameter());
    }

    @Test
    void cropCopiesTheBoxExactly() {
        BufferedImage in = TestImages.noiseGray(20, 15, 2);
        BufferedImage out = new Crop(3, 4, 10, 6).apply(in, rnd);
        assertEquals(10, out.getWidth());
        assertEquals(6, out.getHeight());
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) assertEquals(at(in, x + 3, y + 4), at(out, x, y));
        }
    }

    @Test
    void cropReachingOutsideTheImageIsInvalidNamingTheParameter() {
        BufferedImage in = TestImages.gray(20, 15, 255);
        var wide = assertThrows(InvalidOperationException.class, () -> new Crop(15, 0, 6, 5).apply(in, rnd));
        assertEquals("width", wide.parameter());
        assertEquals("width: x + width = 21 exceeds the image width 20", wide.getMessage());
        assertEquals("y", assertThrows(InvalidOperationException.class, () -> new Crop(0, 15, 1, 1).apply(in, rnd)).parameter());
        assertEquals("height", assertThrows(InvalidOperationException.class, () -> new Crop(0, 10, 1, 6).apply(in, rnd)).parameter());
    }

    @Test
    void cropWithNegativeOrEmptyBoxIsInvalidOnConstruction() {
        assertEquals("x", assertThrows(InvalidOperationException.class, () -> new Crop(-1, 0, 5, 5)).parameter());
        assertEquals("height", assertThrows(InvalidOperationException.class, () -> new Crop(0, 0, 5, 0)).parameter());
    }

    @Test
    void resizeToTheSameSizeIsTheIdentity() {
        BufferedImage in = TestImages.noiseRgb(17, 9, 3);
        assertArrayEquals(samples(in), samples(new Resize(17, 9).apply(in, rnd)));
    }

    @Test
    void resizeKeepsAFlatImageExactlyFlat() {
        BufferedImage up = new Resize(301, 97).apply(TestImages.gray(40, 30, 64), rnd);
        BufferedImage down = new Resize(7, 5).apply(TestImages.gray(400, 300, 64), rnd);
        assertEquals(301 * 97, TestImages.count(up, 64));
        assertEquals(7 * 5, TestImages.count(down, 64));
    }

    @Test
    void shrinkingAveragesInsteadOfAliasing() {
        // One-pixel stripes shrunk 7 times: each output centre falls on one stripe, so point sampling would give
        // pure black or white; the stretched kernel averages all 7+ source columns to mid gray.
        BufferedImage stripes = TestImages.gray(210, 14, (x, y) -> x % 2 == 0 ? 0 : 255);
        BufferedImage out = new Resize(30, 2).apply(stripes, rnd);
        for (int x = 2; x < 28; x++) {
            int v = at(out, x, 1);
            assertTrue(Math.abs(v - 128) <= 6, "column " + x + " was " + v);
        }
    }

    @Test
    void enlargingAHardEdgeStaysMonotoneWithoutVisibleRinging() {
        BufferedImage in = TestImages.gray(10, 1, (x, y) -> x < 5 ? 0 : 255);
        BufferedImage out = new Resize(40, 1).apply(in, rnd);
        assertEquals(0, at(out, 0, 0));
        assertEquals(255, at(out, 39, 0));
        for (int x = 1; x < 40; x++) assertTrue(at(out, x, 0) >= at(out, x - 1, 0), "not monotone at " + x);
    }

    @Test
    void resizeBeyondTheLimitIsInvalidNamingTheSide() {
        assertEquals("width", assertThrows(InvalidOperationException.class, () -> new Resize(0, 5)).parameter());
        assertEquals("height", assertThrows(InvalidOperationException.class, () -> new Resize(5, 100_000)).parameter());
    }
}
