package dev.loupe.security;

import java.util.Optional;

/** Resolves a credential id to what it may do; empty when it is unknown, revoked or expired. */
public interface AccessResolver {

    Optional<AccessGrant> resolve(String credentialId);
}
