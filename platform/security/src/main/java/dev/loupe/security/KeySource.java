package dev.loupe.security;

import org.jose4j.keys.resolvers.VerificationKeyResolver;

/** Where the keys that verify Loupe tokens come from: the label service's JWKS, or its own key store. */
public interface KeySource {

    VerificationKeyResolver resolver();
}
