package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Rect;
import dev.loupe.augment.image.TestImages;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InkMaskTest {

    @Test
    void inkIsWhatIsClearlyDarkerThanThePaper() {
        // On white: 64 (pencil) is ink, 230 (dust) is not. On 200-gray paper, 170 is not ink either.
        BufferedImage white = TestImages.gray(10, 3, (x, y) -> y == 1 ? (x < 5 ? 64 : 230) : 255);
        InkMask mask = InkMask.of(white, InkMask.DEFAULT_THRESHOLD);
        assertTrue(mask.isInk(2, 1));
        assertFalse(mask.isInk(7, 1));
        assertEquals(5, mask.count());
        BufferedImage gray = TestImages.gray(10, 3, (x, y) -> y == 1 && x == 3 ? 170 : 200);
        assertEquals(0, InkMask.of(gray, InkMask.DEFAULT_THRESHOLD).count());
    }

    @Test
    void columnGroupsAreRunsOfInkColumnsAndSpecksAreDropped() {
        BufferedImage page = TestImages.whiteWithInk(60, 30,
                new int[] {5, 2, 6, 20}, new int[] {15, 5, 3, 20}, new int[] {19, 5, 4, 20}, new int[] {40, 28, 1, 1});
        InkMask mask = InkMask.of(page, InkMask.DEFAULT_THRESHOLD);
        assertEquals(List.of(new Span(5, 11), new Span(15, 18), new Span(19, 23)), mask.columnGroups(5));
        assertEquals(4, mask.columnGroups(1).size(), "with no speck filter the dot counts");
        assertEquals(List.of(new Rect(5, 2, 6, 20), new Rect(15, 5, 3, 20), new Rect(19, 5, 4, 20)), mask.groupBoxes(5));
        assertEquals(new Rect(5, 2, 36, 27), mask.bounds().orElseThrow());
    }

    @Test
    void thresholdOutOfRangeIsInvalid() {
        assertEquals("inkThreshold", assertThrows(InvalidOperationException.class,
                () -> InkMask.of(TestImages.gray(2, 2, 255), 0)).parameter());
    }
}
