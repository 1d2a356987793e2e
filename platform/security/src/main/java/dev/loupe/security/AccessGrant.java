package dev.loupe.security;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What one credential (a sign-in session or an API token) may do right now, as the label service resolves it.
 *
 * @param credentialId the session's or token's id (the JWT's {@code jti})
 * @param userId       the account
 * @param username     the account's name, written into the audit trail
 * @param globalAdmin  creates projects and accounts and is admin in every project
 * @param roleCap      the highest role the credential may use (an API token's scope); null for no cap
 * @param expiresAt    when the credential stops working
 * @param projects     the account's role in each project it is a member of
 */
public record AccessGrant(String credentialId, UUID userId, String username, boolean globalAdmin, Role roleCap,
                          Instant expiresAt, Map<UUID, Role> projects) {

    public AccessGrant {
        projects = projects == null ? Map.of() : Map.copyOf(projects);
    }
}
