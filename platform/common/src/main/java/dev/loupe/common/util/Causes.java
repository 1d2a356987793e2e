package dev.loupe.common.util;

/** The reason a user should read: the innermost cause's message (native libraries wrap theirs deeply). */
public final class Causes {

    private Causes() {
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
