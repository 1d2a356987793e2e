package dev.loupe.augment.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;

import static dev.loupe.augment.image.TestImages.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EraseTest {

    private final SplittableRandom rnd = new SplittableRandom(1);

    /** A page whose border is 250 paper, inside noise: the background is unambiguous and differs from 255. */
    private static BufferedImage page() {
        BufferedImage noise = TestImages.noiseGray(30, 20, 11);
        return TestImages.gray(30, 20, (x, y) -> x == 0 || y == 0 || x == 29 || y == 19 ? 250 : at(noise, x, y));
    }

    @Test
    void eraseLeavesExactlyBackgroundInsideAndTouchesNothingOutside() {
        BufferedImage in = page();
        Rect a = new Rect(2, 3, 5, 4), b = new Rect(20, 10, 9, 9);
        BufferedImage out = new Erase(a, b).apply(in, rnd);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                boolean inside = inside(a, x, y) || inside(b, x, y);
                assertEquals(inside ? 250 : at(in, x, y), at(out, x, y), "at " + x + "," + y);
            }
        }
    }

    @Test
    void eraseWithAMaskErasesExactlyTheNonZeroPixels() {
        BufferedImage in = page();
        BufferedImage maskImage = TestImages.gray(30, 20, (x, y) -> (x + y) % 7 == 0 ? 1 : 0);
        BufferedImage out = new EraseMask(Mask.fromPng(Png.encode(maskImage))).apply(in, rnd);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                assertEquals((x + y) % 7 == 0 ? 250 : at(in, x, y), at(out, x, y), "at " + x + "," + y);
            }
        }
    }

    @Test
    void aMaskOnATransparentLayerSelectsOnlyWhatWasPainted() {
        // as a browser canvas exports it: transparent everywhere, opaque white strokes
        BufferedImage layer = new BufferedImage(10, 8, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 8; y++) layer.setRGB(7, y, 0xFFFFFFFF);
        layer.setRGB(2, 2, 0xFF000000); // opaque black: not selected either
        Mask mask = Mask.fromPng(Png.encode(layer));
        assertEquals(8, mask.count());
        assertTrue(mask.selects(7, 3));
        assertFalse(mask.selects(2, 2));
        assertFalse(mask.selects(0, 0));
    }

    @Test
    void eraseOnRgbUsesTheRgbBackground() {
        BufferedImage in = TestImages.rgb(10, 10, 0xF0E0D0);
        in.setRGB(5, 5, 0x000000);
        BufferedImage out = new Erase(new Rect(4, 4, 3, 3)).apply(in, rnd);
        assertEquals(0xF0E0D0, out.getRGB(5, 5) & 0xFFFFFF);
    }

    @Test
    void anAllZeroMaskIsInvalidNamingMask() {
        byte[] empty = Png.encode(TestImages.gray(30, 20, 0));
        var e = assertThrows(InvalidOperationException.class, () -> Mask.fromPng(empty));
        assertEquals("mask", e.parameter());
        assertTrue(e.getMessage().contains("no pixel"), e.getMessage());
    }

    @Test
    void aMaskOfAnotherSizeIsInvalidNamingMask() {
        Mask mask = Mask.of(TestImages.gray(31, 20, 255));
        var e = assertThrows(InvalidOperationException.class, () -> new EraseMask(mask).apply(page(), rnd));
        assertEquals("mask", e.parameter());
        assertEquals("mask: is 31x20 but the image is 30x20", e.getMessage());
    }

    @Test
    void bytesThatAreNotAnImageAreAnInvalidMask() {
        assertEquals("mask", assertThrows(InvalidOperationException.class,
                () -> Mask.fromPng(new byte[] {1, 2, 3})).parameter());
    }

    @Test
    void aRectangleOutsideTheImageIsInvalidNamingItsIndexAndSide() {
        var e = assertThrows(InvalidOperationException.class,
                () -> new Erase(new Rect(0, 0, 2, 2), new Rect(25, 0, 6, 2)).apply(page(), rnd));
        assertEquals("rects[1].width", e.parameter());
    }

    @Test
    void noRectanglesIsInvalid() {
        assertEquals("rects", assertThrows(InvalidOperationException.class, () -> new Erase(List.of())).parameter());
    }

    private static boolean inside(Rect r, int x, int y) {
        return x >= r.x() && x < r.right() && y >= r.y() && y < r.bottom();
    }
}
