package dev.loupe.security;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Who sent the current request: a signed-in user (session cookie or API token) or another Loupe service.
 *
 * @param kind      user or service
 * @param subject   the account id, or {@code service:<name>}
 * @param name      the username or service name
 * @param actor     the name the audit trail records (the name, or the trusted proxy's {@code Loupe-User})
 * @param grant     the user's grant; null for a service
 * @param service   the calling service's name; null for a user
 */
public record Caller(Kind kind, String subject, String name, String actor, AccessGrant grant, String service) {

    public enum Kind { USER, SERVICE }

    public static Caller service(String name) {
        return new Caller(Kind.SERVICE, "service:" + name, name, name, null, name);
    }

    public static Caller user(AccessGrant grant, String actor) {
        return new Caller(Kind.USER, grant.userId().toString(), grant.username(), actor, grant, null);
    }

    public boolean isService() {
        return kind == Kind.SERVICE;
    }

    public boolean isGlobalAdmin() {
        return grant != null && grant.globalAdmin() && (grant.roleCap() == null || grant.roleCap() == Role.ADMIN);
    }

    public Optional<UUID> userId() {
        return grant == null ? Optional.empty() : Optional.of(grant.userId());
    }

    /** The caller's role in a project, or empty when the caller may not even know the project exists. */
    public Optional<Role> roleIn(UUID projectId) {
        if (isService()) {
            return Optional.of(Role.ADMIN);
        }
        if (grant.globalAdmin()) {
            return Optional.of(Role.ADMIN.cappedBy(grant.roleCap()));
        }
        Role role = grant.projects().get(projectId);
        return role == null ? Optional.empty() : Optional.of(role.cappedBy(grant.roleCap()));
    }

    /** Projects the caller is a member of (every project for services and global admins: see {@link #seesAll()}). */
    public Map<UUID, Role> memberships() {
        return grant == null ? Map.of() : grant.projects();
    }

    public boolean seesAll() {
        return isService() || grant.globalAdmin();
    }
}
