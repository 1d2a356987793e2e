package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Rect;
import dev.loupe.augment.image.TestImages;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static dev.loupe.augment.image.TestImages.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GlyphTest {

    @Test
    void cutTrimsToTheInkWithAWhiteMargin() {
        BufferedImage page = TestImages.whiteWithInk(60, 40, new int[] {10, 5, 8, 20});
        Glyph g = Glyph.cut(page, "i", "page-1", Cut.whole().withMargin(3));
        assertEquals(8, g.width());
        assertEquals(20, g.height());
        BufferedImage image = g.image();
        assertEquals(14, image.getWidth());
        assertEquals(26, image.getHeight());
        assertEquals(255, at(image, 2, 2));
        assertEquals(0, at(image, 3, 3));
        assertEquals(0, at(image, 10, 22));
        assertEquals(255, at(image, 11, 22));
        assertEquals(14 * 26 - 8 * 20, TestImages.count(image, 255));
    }

    @Test
    void paperIsNormalisedToExactWhiteAndInkShiftedWithIt() {
        // Paper 230, a pencil stroke at 30 and dust at 215: the glyph has 255 paper, 55 ink and no dust.
        BufferedImage page = TestImages.gray(40, 30, (x, y) -> x >= 10 && x < 14 && y >= 5 && y < 25 ? 30
                : x == 15 && y == 10 ? 215 : 230);
        Glyph g = Glyph.cut(page, "i", "", Cut.whole().withMargin(1));
        assertEquals(4, g.width());
        BufferedImage image = g.image();
        assertEquals(55, at(image, 1, 1));
        assertEquals(255, at(image, 0, 0));
        assertEquals(6 * 22 - 4 * 20, TestImages.count(image, 255));
    }

    @Test
    void erasedRegionsAreGoneBeforeTrimming() {
        BufferedImage page = TestImages.whiteWithInk(60, 40, new int[] {5, 5, 6, 30}, new int[] {30, 10, 4, 20});
        Glyph g = Glyph.cut(page, "i", "", Cut.whole().erasing(new Rect(0, 0, 20, 40)).withMargin(0));
        assertEquals(4, g.width());
        assertEquals(20, g.height());
    }

    @Test
    void cutWithinABoxKeepsOnlyThatBox() {
        BufferedImage page = TestImages.whiteWithInk(60, 40, new int[] {5, 5, 6, 30}, new int[] {30, 10, 4, 20});
        Glyph g = Glyph.cut(page, "v", "", Cut.whole().within(new Rect(0, 0, 20, 40)).withMargin(0));
        assertEquals(6, g.width());
        assertEquals(30, g.height());
    }

    @Test
    void aBoxOutsideTheImageIsInvalidNamingTheBoxSide() {
        BufferedImage page = TestImages.whiteWithInk(60, 40, new int[] {5, 5, 6, 30});
        var e = assertThrows(InvalidOperationException.class,
                () -> Glyph.cut(page, "v", "", Cut.whole().within(new Rect(50, 0, 20, 40))));
        assertEquals("box.width", e.parameter());
        assertEquals("erase[0].height", assertThrows(InvalidOperationException.class,
                () -> Glyph.cut(page, "v", "", Cut.whole().erasing(new Rect(0, 30, 5, 11)))).parameter());
    }

    @Test
    void aCutWithNoInkLeftIsInvalid() {
        BufferedImage page = TestImages.whiteWithInk(60, 40, new int[] {5, 5, 6, 30});
        var e = assertThrows(InvalidOperationException.class,
                () -> Glyph.cut(page, "i", "", Cut.whole().erasing(new Rect(0, 0, 30, 40))));
        assertEquals("image", e.parameter());
        assertEquals("symbol", assertThrows(InvalidOperationException.class, () -> Glyph.cut(page, " ", "", Cut.whole())).parameter());
    }
}
