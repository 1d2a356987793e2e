package dev.loupe.augment.glyph;

/** A run of columns (or rows), {@code start} inclusive, {@code end} exclusive. */
public record Span(int start, int end) {

    public Span {
        if (start < 0 || end <= start) throw new IllegalArgumentException("span must be 0 <= start < end, was [" + start + ", " + end + ")");
    }

    public int length() {
        return end - start;
    }
}
