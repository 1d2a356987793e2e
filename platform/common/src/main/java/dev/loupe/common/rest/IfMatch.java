package dev.loupe.common.rest;

/** Parses version ETags: {@code "3"}, {@code W/"3"}, {@code 3}; {@code *} matches any version. */
public final class IfMatch {

    /** The value standing for {@code If-Match: *}. */
    public static final long ANY = -1;

    private IfMatch() {
    }

    /** The version the client saw, {@link #ANY}, or null when the header is absent. */
    public static Long parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.equals("*")) {
            return ANY;
        }
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            long version = Long.parseLong(value);
            if (version < 0) {
                throw new NumberFormatException();
            }
            return version;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("If-Match", "expected a version ETag such as \"3\", got " + header);
        }
    }

    /** The strong ETag of a version. */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
