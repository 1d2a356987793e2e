package dev.loupe.augment.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;

import static dev.loupe.augment.image.TestImages.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ContactSheetTest {

    @Test
    void laysOutRowsOfFittedThumbnailsOnAGrid() {
        BufferedImage before = TestImages.gray(200, 100, 0);     // wide: fitted to 64x32, centred vertically
        BufferedImage after = new Rotate(90).apply(TestImages.gray(50, 50, 64), new SplittableRandom(1));
        BufferedImage sheet = Png.decode(new ContactSheet(64, 4).png(List.of(List.of(before, after), List.of(after))));

        assertEquals(4 + 2 * 68, sheet.getWidth());
        assertEquals(4 + 2 * 68, sheet.getHeight());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, sheet.getType());
        assertEquals(ContactSheet.GRID, at(sheet, 1, 1), "gap");
        assertEquals(0, at(sheet, 4 + 32, 4 + 32), "centre of the wide image");
        assertEquals(255, at(sheet, 4 + 32, 4 + 5), "white letterbox above the wide image");
        assertEquals(64, at(sheet, 72 + 32, 4 + 32), "second cell of the first row");
        assertEquals(64, at(sheet, 4 + 32, 72 + 32), "first cell of the second row");
        assertEquals(ContactSheet.GRID, at(sheet, 72 + 32, 72 + 32), "the short row leaves its cell empty");
    }
}
