package dev.loupe.common.rest;

import java.util.ArrayList;
import java.util.List;

/** Collects every validation failure of a request so the client sees all of them in one 422. */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    public FieldErrors add(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    /** Adds {@code message} for {@code field} when {@code invalid} holds. */
    public FieldErrors check(boolean invalid, String field, String message) {
        if (invalid) {
            add(field, message);
        }
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws a 422 with every collected error, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(errors);
        }
    }
}
