package dev.loupe.security;

/** Hands this service a token that proves its identity to the other services. */
public interface ServiceTokenSource {

    /** A valid service token (cached until shortly before it expires). */
    String token();
}
