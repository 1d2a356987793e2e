package dev.loupe.augment.image;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Lays out thumbnails in a grid, one row per original (e.g. before, then its augmentations), for READMEs and
 * reviews. Each image is fitted into a white {@code thumbnail} x {@code thumbnail} cell keeping its aspect ratio,
 * centred; cells are separated by {@code gap} pixels of {@link #GRID} gray so white images stay visible.
 */
public record ContactSheet(int thumbnail, int gap) {

    public static final int GRID = 200;
    private static final int WHITE = 255;

    public ContactSheet {
        if (thumbnail < 8 || thumbnail > 1024) {
            throw new InvalidOperationException("thumbnail", "must be between 8 and 1024, was " + thumbnail);
        }
        if (gap < 0 || gap > 256) throw new InvalidOperationException("gap", "must be between 0 and 256, was " + gap);
    }

    /** Rows may differ in length; short rows leave grid-coloured cells. Gray when every image is gray. */
    public BufferedImage render(List<? extends List<BufferedImage>> rows) {
        if (rows == null || rows.isEmpty() || rows.stream().allMatch(List::isEmpty)) {
            throw new InvalidOperationException("rows", "must contain at least one image");
        }
        List<List<Pixels>> cells = rows.stream().map(r -> r.stream().map(Pixels::of).toList()).toList();
        int columns = cells.stream().mapToInt(List::size).max().orElseThrow();
        int channels = cells.stream().flatMap(List::stream).anyMatch(p -> p.channels() == 3) ? 3 : 1;
        int step = thumbnail + gap;
        Pixels sheet = Pixels.filled(gap + columns * step, gap + cells.size() * step, channels, colour(GRID, channels));
        for (int r = 0; r < cells.size(); r++) {
            for (int c = 0; c < cells.get(r).size(); c++) {
                sheet.paste(fit(cells.get(r).get(c), channels), gap + c * step, gap + r * step, false);
            }
        }
        return sheet.toImage();
    }

    public byte[] png(List<? extends List<BufferedImage>> rows) {
        return Png.encode(render(rows));
    }

    /** The cell's content: the image resized to fit, centred on white. */
    private Pixels fit(Pixels image, int channels) {
        double scale = Math.min((double) thumbnail / image.width(), (double) thumbnail / image.height());
        int w = Math.max(1, (int) Math.round(image.width() * scale));
        int h = Math.max(1, (int) Math.round(image.height() * scale));
        Pixels resized = new Resize(w, h).apply(channels == 3 ? image.toRgb() : image, null);
        Pixels cell = Pixels.filled(thumbnail, thumbnail, channels, colour(WHITE, channels));
        cell.paste(resized, (thumbnail - w) / 2, (thumbnail - h) / 2, false);
        return cell;
    }

    private static int[] colour(int value, int channels) {
        return channels == 3 ? new int[] {value, value, value} : new int[] {value};
    }
}
