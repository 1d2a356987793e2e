package dev.loupe.common.rest;

/**
 * Text a service can store: no NUL character (PostgreSQL rejects it in text columns) and no unpaired UTF-16
 * surrogate (it has no UTF-8 encoding). Every JSON string, map key, path and query parameter is checked against it.
 */
public final class SafeText {

    private SafeText() {
    }

    /** What is wrong with {@code text}, or null when it is fine (null is fine too). Never echoes the text. */
    public static String problem(CharSequence text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character (U+0000) at index " + i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired UTF-16 surrogate at index " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate at index " + i;
            }
        }
        return null;
    }
}
