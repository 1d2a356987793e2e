package dev.loupe.augment.service;

import dev.loupe.augment.glyph.Layout;
import dev.loupe.augment.glyph.Length;
import dev.loupe.augment.image.InvalidOperationException;

/** Reads a request's layout; missing fields take {@link Layout#defaults()}. Errors name {@code layout.<field>}. */
final class Layouts {

    private Layouts() {
    }

    static Layout of(Requests.LayoutSpec spec) {
        Layout d = Layout.defaults();
        if (spec == null) return d;
        try {
            return new Layout(length("spacing", spec.spacing(), d.spacing()), length("spacingJitter", spec.spacingJitter(), d.spacingJitter()),
                    length("baselineJitter", spec.baselineJitter(), d.baselineJitter()),
                    spec.scaleJitter() == null ? d.scaleJitter() : spec.scaleJitter(),
                    spec.glyphHeight() == null ? d.glyphHeight() : spec.glyphHeight(),
                    spec.padding() == null ? d.padding() : spec.padding());
        } catch (InvalidOperationException e) {
            throw e.within("layout");
        }
    }

    /** As {@link #of(Requests.LayoutSpec)}, collecting a failure in {@code errors} (then null) instead of throwing. */
    static Layout of(Requests.LayoutSpec spec, dev.loupe.common.rest.FieldErrors errors) {
        try {
            return of(spec);
        } catch (InvalidOperationException e) {
            errors.add(e.parameter(), e.reason());
            return null;
        }
    }

    private static Length length(String field, Object value, Length fallback) {
        if (value == null) return fallback;
        try {
            if (value instanceof Number n) return Length.relative(n.doubleValue());
            if (value instanceof String s && s.strip().endsWith("px")) {
                return Length.px(Double.parseDouble(s.strip().substring(0, s.strip().length() - 2).strip()));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        } catch (InvalidOperationException e) {
            throw new InvalidOperationException(field, e.reason());
        }
        throw new InvalidOperationException(field, "must be a share of the glyph height (a number such as 0.2) or pixels "
                + "(a string such as \"6px\"), was " + value);
    }
}
