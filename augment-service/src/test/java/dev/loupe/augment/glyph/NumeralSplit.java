package dev.loupe.augment.glyph;

import dev.loupe.augment.image.Rect;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * Test-side recipe for splitting a handwritten "viii" into its letters by ink column projection: four column
 * groups, the leftmost wide (the V), the other three tall and narrow (the I's). Images that do not split that
 * cleanly (touching letters, bars, specks) are skipped rather than guessed at.
 */
public record NumeralSplit(Rect v, List<Rect> is) {

    public static Optional<NumeralSplit> of(BufferedImage viii) {
        InkMask mask = InkMask.of(viii, InkMask.DEFAULT_THRESHOLD);
        List<Rect> boxes = mask.groupBoxes(minInk(mask));
        if (boxes.size() != 4) return Optional.empty();
        Rect v = boxes.get(0);
        List<Rect> is = boxes.subList(1, 4);
        for (Rect i : is) {
            boolean strokeLike = i.height() >= 2 * i.width() && i.height() >= 0.6 * v.height() && i.width() * 1.5 < v.width();
            if (!strokeLike) return Optional.empty();
        }
        return Optional.of(new NumeralSplit(v, List.copyOf(is)));
    }

    /** Groups with less than 2% of the ink are specks, not letters. */
    public static int minInk(InkMask mask) {
        return Math.max(10, mask.count() / 50);
    }

    /** How many letters a composite shows: ink column groups, specks ignored. */
    public static int letters(BufferedImage image) {
        return letters(image, minInk(InkMask.of(image, InkMask.DEFAULT_THRESHOLD)));
    }

    /** As {@link #letters(BufferedImage)} with the speck size of another image (the one a part was cut from). */
    static int letters(BufferedImage image, int minInk) {
        return InkMask.of(image, InkMask.DEFAULT_THRESHOLD).columnGroups(minInk).size();
    }
}
