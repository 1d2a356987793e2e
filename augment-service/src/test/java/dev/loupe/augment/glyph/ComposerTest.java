package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Png;
import dev.loupe.augment.image.Rect;
import dev.loupe.augment.image.TestImages;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.loupe.augment.image.TestImages.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComposerTest {

    private final Glyph v = Glyph.of("v", "drawn-v", Shapes.letterV(90, 120, 0));
    private final Glyph i1 = Glyph.of("i", "drawn-i1", Shapes.letterI(40, 60, 0));
    private final Glyph i2 = Glyph.of("i", "drawn-i2", Shapes.letterI(40, 150, 64));

    @Test
    void vPlusIPlusIGivesThreeLettersSeparatedByWhiteColumns() {
        BufferedImage vii = Composer.compose(List.of(v, i1, i2), Layout.defaults(), new SplittableRandom(1));
        InkMask mask = InkMask.of(vii, InkMask.DEFAULT_THRESHOLD);
        List<Span> groups = mask.columnGroups(1);
        assertEquals(3, groups.size(), groups.toString());
        // Between the letters whole columns are exactly white.
        for (int g = 1; g < groups.size(); g++) {
            for (int x = groups.get(g - 1).end(); x < groups.get(g).start(); x++) {
                for (int y = 0; y < vii.getHeight(); y++) assertTrue(at(vii, x, y) > 255 - InkMask.DEFAULT_THRESHOLD);
            }
        }
    }

    @Test
    void theCanvasIsWhiteAndTheInkCentredWithThePadding() {
        BufferedImage out = Composer.compose(List.of(v, i1), Layout.defaults(), new SplittableRandom(2));
        int pad = Layout.defaults().padding();
        Rect ink = nonWhite(out);
        assertEquals(pad, ink.x());
        assertEquals(pad, ink.y());
        assertEquals(pad, out.getWidth() - ink.right());
        assertEquals(pad, out.getHeight() - ink.bottom());
        assertEquals(255, at(out, 0, 0));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, out.getType());
    }

    @Test
    void glyphsAreScaledToOneHeightWhateverSizeTheyWereCutAt() {
        Layout exact = Layout.exact(Length.relative(0.3), 100, 4);
        BufferedImage out = Composer.compose(List.of(i1, i2), exact, new SplittableRandom(3));
        InkMask mask = InkMask.of(out, InkMask.DEFAULT_THRESHOLD);
        List<Rect> boxes = mask.groupBoxes(1);
        assertEquals(2, boxes.size());
        assertEquals(100, boxes.get(0).height(), 2);
        assertEquals(100, boxes.get(1).height(), 2);
        assertEquals(boxes.get(0).bottom(), boxes.get(1).bottom(), 1, "one baseline");
    }

    @Test
    void overlapsKeepTheDarkestInkInsteadOfPaintingWhiteOverIt() {
        Glyph gray = Glyph.of("a", "", TestImages.whiteWithInk(20, 20, new int[] {5, 5, 10, 10}));
        BufferedImage grayBox = TestImages.gray(20, 20, (x, y) -> x >= 5 && x < 15 && y >= 5 && y < 15 ? 100 : 255);
        Glyph light = Glyph.of("b", "", grayBox);
        BufferedImage out = Composer.compose(List.of(light, gray), Layout.exact(Length.px(-5), 10, 0), new SplittableRandom(4));
        assertEquals(15, out.getWidth());
        assertEquals(10, out.getHeight());
        int[] row = new int[15];
        for (int x = 0; x < 15; x++) row[x] = at(out, x, 5);
        assertArrayEquals(new int[] {100, 100, 100, 100, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, row, Arrays.toString(row));
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedAnotherLayout() {
        byte[] a = Png.encode(Composer.compose(List.of(v, i1, i2), Layout.defaults(), new SplittableRandom(9)));
        byte[] b = Png.encode(Composer.compose(List.of(v, i1, i2), Layout.defaults(), new SplittableRandom(9)));
        byte[] c = Png.encode(Composer.compose(List.of(v, i1, i2), Layout.defaults(), new SplittableRandom(10)));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void invalidLayoutsNameTheParameter() {
        assertEquals("scaleJitter", assertThrows(InvalidOperationException.class,
                () -> new Layout(Length.px(1), Length.px(0), Length.px(0), 0.9, 0, 0)).parameter());
        assertEquals("padding", assertThrows(InvalidOperationException.class,
                () -> new Layout(Length.px(1), Length.px(0), Length.px(0), 0, 0, -1)).parameter());
        assertEquals("glyphs", assertThrows(InvalidOperationException.class,
                () -> Composer.compose(List.of(), Layout.defaults(), new SplittableRandom(1))).parameter());
    }

    private static Rect nonWhite(BufferedImage image) {
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (at(image, x, y) != 255) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }
}
