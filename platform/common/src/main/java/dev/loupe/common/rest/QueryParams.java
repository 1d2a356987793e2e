package dev.loupe.common.rest;

/** Query parameters read as text so a bad value becomes a 422 naming the parameter, not a framework 404. */
public final class QueryParams {

    private QueryParams() {
    }

    /** The whole number in {@code value}, {@code fallback} when absent; a non-number is recorded in {@code errors}. */
    public static int intParam(String value, int fallback, String name, FieldErrors errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            errors.add(name, "not a whole number: " + value);
            return fallback;
        }
    }
}
