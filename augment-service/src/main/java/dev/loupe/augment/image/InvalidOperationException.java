package dev.loupe.augment.image;

import java.util.Objects;

/**
 * A parameter of an operation (or of a glyph cut, layout or recipe) is invalid. The message starts with the
 * parameter's name, e.g. {@code "radius: must be >= 0"}, so the REST layer can answer 422 with
 * {@code errors:[{field, message}]} without parsing text.
 */
public class InvalidOperationException extends IllegalArgumentException {

    private final String parameter;
    private final String reason;

    public InvalidOperationException(String parameter, String reason) {
        super(Objects.requireNonNull(parameter, "parameter") + ": " + Objects.requireNonNull(reason, "reason"));
        this.parameter = parameter;
        this.reason = reason;
    }

    /** The offending parameter, as a path when nested: {@code degrees}, {@code rects[1].width}, {@code ops[2].radius}. */
    public String parameter() {
        return parameter;
    }

    /** The message without the parameter name. */
    public String reason() {
        return reason;
    }

    /** The same problem one level further out, e.g. {@code width} inside {@code rects[1]}. */
    public InvalidOperationException within(String prefix) {
        InvalidOperationException moved = new InvalidOperationException(prefix + "." + parameter, reason);
        moved.initCause(this);
        return moved;
    }
}
