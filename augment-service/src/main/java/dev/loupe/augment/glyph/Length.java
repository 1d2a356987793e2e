package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;

/** A distance in pixels, or relative to the glyph height, so one layout suits small and large glyphs alike. */
public record Length(double value, Unit unit) {

    public enum Unit { PX, RELATIVE }

    public Length {
        if (!Double.isFinite(value)) throw new InvalidOperationException("value", "must be a finite number, was " + value);
        if (unit == null) throw new InvalidOperationException("unit", "is required");
        // Bounded so positions stay far inside int range; no sensible layout comes near.
        double max = unit == Unit.PX ? 8192 : 8;
        if (Math.abs(value) > max) {
            throw new InvalidOperationException("value", "must be between -" + max + " and " + max + " " + unit + ", was " + value);
        }
    }

    public static Length px(double value) {
        return new Length(value, Unit.PX);
    }

    /** A share of the glyph height, e.g. 0.2 = a fifth of it. */
    public static Length relative(double value) {
        return new Length(value, Unit.RELATIVE);
    }

    public double pixels(double glyphHeight) {
        return unit == Unit.PX ? value : value * glyphHeight;
    }
}
