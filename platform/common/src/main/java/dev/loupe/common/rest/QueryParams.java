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

    /** {@code true} or {@code false} in {@code value}, {@code fallback} when absent; anything else is recorded in {@code errors}. */
    public static boolean booleanParam(String value, boolean fallback, String name, FieldErrors errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                errors.add(name, "must be true or false: " + value);
                yield fallback;
            }
        };
    }

    /** The whole number in {@code value}, or null when absent; a non-number is recorded in {@code errors}. */
    public static Long longParam(String value, String name, FieldErrors errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            errors.add(name, "not a whole number: " + value);
            return null;
        }
    }

    /** The UUID in {@code value}, or null when absent; anything else is recorded in {@code errors}. */
    public static java.util.UUID uuidParam(String value, String name, FieldErrors errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.util.UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            errors.add(name, "not a UUID: " + value);
            return null;
        }
    }
}
