package dev.loupe.augment.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PixelsTest {

    @Test
    void backgroundIsTheBorderMedianSoMinorityMarksDoNotWin() {
        // 240 paper; a black blob covers 29 of the 76 border pixels and a white sticker 7 more. Neither the
        // darkest, the lightest nor the mean (about 166) is the paper; the median is.
        BufferedImage page = TestImages.gray(20, 20, (x, y) -> x < 15 && y < 15 ? 0 : x >= 16 && y >= 16 ? 255 : 240);
        assertArrayEquals(new int[] {240}, Pixels.of(page).background());
    }

    @Test
    void backgroundIsPerChannelForRgb() {
        assertArrayEquals(new int[] {0x12, 0x34, 0x56}, Pixels.of(TestImages.rgb(5, 7, 0x123456)).background());
    }

    @Test
    void grayValuesAreReadAsStoredNotGammaConverted() {
        Pixels p = Pixels.of(TestImages.gray(2, 2, 64));
        assertEquals(1, p.channels());
        assertEquals(64, p.get(1, 1, 0));
        BufferedImage round = Png.decode(Png.encode(p.toImage()));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, round.getType());
        assertEquals(64, round.getRaster().getSample(0, 0, 0));
    }

    @Test
    void anAllGrayPaletteStaysOneChannel() {
        byte[] levels = {0, 64, (byte) 255};
        var palette = new IndexColorModel(2, 3, levels, levels, levels);
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        indexed.getRaster().setSample(1, 0, 0, 1);
        indexed.getRaster().setSample(2, 0, 0, 2);
        Pixels p = Pixels.of(indexed);
        assertEquals(1, p.channels());
        assertEquals(0, p.get(0, 0, 0));
        assertEquals(64, p.get(1, 0, 0));
        assertEquals(255, p.get(2, 0, 0));
    }

    @Test
    void transparentPixelsReadAsWhitePaper() {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00000000);
        argb.setRGB(1, 0, 0xFF000000);
        Pixels p = Pixels.of(argb);
        assertEquals(3, p.channels());
        assertEquals(255, p.get(0, 0, 1));
        assertEquals(0, p.get(1, 0, 1));
    }

    @Test
    void sixteenBitGrayIsScaledToEightBits() {
        BufferedImage deep = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 65535);
        assertEquals(255, Pixels.of(deep).get(0, 0, 0));
    }
}
