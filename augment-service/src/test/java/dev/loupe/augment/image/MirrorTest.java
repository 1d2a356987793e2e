package dev.loupe.augment.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

import static dev.loupe.augment.image.TestImages.at;
import static dev.loupe.augment.image.TestImages.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MirrorTest {

    private final SplittableRandom rnd = new SplittableRandom(1);

    @Test
    void mirrorLeftRightTwiceIsExactlyTheInput() {
        BufferedImage in = TestImages.noiseGray(37, 21, 7);
        BufferedImage out = new MirrorLr().apply(new MirrorLr().apply(in, rnd), rnd);
        assertArrayEquals(samples(in), samples(out));
    }

    @Test
    void mirrorTopBottomTwiceIsExactlyTheInputInColour() {
        BufferedImage in = TestImages.noiseRgb(20, 33, 8);
        BufferedImage out = new MirrorTb().apply(new MirrorTb().apply(in, rnd), rnd);
        assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
        assertArrayEquals(samples(in), samples(out));
    }

    @Test
    void mirrorLeftRightMovesTheFirstColumnToTheLast() {
        BufferedImage in = TestImages.gray(5, 3, (x, y) -> x * 10 + y);
        BufferedImage out = new MirrorLr().apply(in, rnd);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) assertEquals((4 - x) * 10 + y, at(out, x, y));
        }
    }

    @Test
    void mirrorTopBottomMovesTheFirstRowToTheLast() {
        BufferedImage in = TestImages.gray(3, 4, (x, y) -> x * 10 + y);
        BufferedImage out = new MirrorTb().apply(in, rnd);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 3; x++) assertEquals(x * 10 + (3 - y), at(out, x, y));
        }
    }

    @Test
    void grayStaysEightBitGray() {
        BufferedImage out = new MirrorLr().apply(TestImages.gray(4, 4, 64), rnd);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, out.getType());
        assertEquals(64, at(out, 2, 2));
    }
}
