package dev.loupe.augment.image;

/** An axis-aligned box of whole pixels: top-left corner plus size. */
public record Rect(int x, int y, int width, int height) {

    public Rect {
        if (x < 0) throw new InvalidOperationException("x", "must be >= 0, was " + x);
        if (y < 0) throw new InvalidOperationException("y", "must be >= 0, was " + y);
        if (width < 1) throw new InvalidOperationException("width", "must be >= 1, was " + width);
        if (height < 1) throw new InvalidOperationException("height", "must be >= 1, was " + height);
    }

    /** Exclusive right edge. */
    public int right() {
        return x + width;
    }

    /** Exclusive bottom edge. */
    public int bottom() {
        return y + height;
    }

    /**
     * Fails unless the box lies inside an image of the given size, naming the coordinate that starts outside or
     * the extent that runs over (a box is not silently clipped: a caller who asked for pixels that do not exist
     * has a bug or a stale image size).
     */
    public void requireInside(int imageWidth, int imageHeight) {
        if (x >= imageWidth) {
            throw new InvalidOperationException("x", "must be < the image width " + imageWidth + ", was " + x);
        }
        if (y >= imageHeight) {
            throw new InvalidOperationException("y", "must be < the image height " + imageHeight + ", was " + y);
        }
        if ((long) x + width > imageWidth) {
            throw new InvalidOperationException("width",
                    "x + width = " + ((long) x + width) + " exceeds the image width " + imageWidth);
        }
        if ((long) y + height > imageHeight) {
            throw new InvalidOperationException("height",
                    "y + height = " + ((long) y + height) + " exceeds the image height " + imageHeight);
        }
    }
}
