package dev.loupe.common.rest;

/** Who makes a change: the {@code Loupe-User} request header (an identity provider can set it at the ingress). */
public final class Actors {

    public static final String HEADER = "Loupe-User";
    public static final String ANONYMOUS = "anonymous";
    private static final int MAX = 200;

    private Actors() {
    }

    public static String of(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        String actor = header.strip();
        if (actor.length() > MAX) {
            throw ProblemException.unprocessable(HEADER, "at most " + MAX + " characters");
        }
        return actor;
    }
}
