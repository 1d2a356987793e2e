package dev.loupe.security;

/** Names shared by the issuer (label service) and every verifier. */
public final class Tokens {

    /** The token kind claim: {@link #SESSION}, {@link #API} or {@link #SERVICE}. */
    public static final String KIND = "loupe_kind";
    /** A session token's CSRF secret: cookie-authenticated writes must repeat it in {@link #CSRF_HEADER}. */
    public static final String CSRF = "loupe_csrf";
    /** A service token's service name. */
    public static final String SERVICE_NAME = "loupe_service";
    /** An API token's role cap. */
    public static final String SCOPE = "loupe_scope";

    public static final String SESSION = "session";
    public static final String API = "api";
    public static final String SERVICE = "service";

    public static final String CSRF_HEADER = "X-Loupe-CSRF";
    /** The readable cookie that carries the CSRF secret to the page's scripts. */
    public static final String CSRF_COOKIE = "loupe_csrf";
    public static final String USER_HEADER = "Loupe-User";

    private Tokens() {
    }
}
