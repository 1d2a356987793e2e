package dev.loupe.security;

import dev.loupe.common.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The checks a resource or service makes about the current caller. A project the caller is not a member of does
 * not exist for them (404, the same answer as for an unknown id); a member whose role is too low gets 403.
 */
@ApplicationScoped
public class Access {

    private final CurrentCaller current;

    public Access(CurrentCaller current) {
        this.current = current;
    }

    public Caller caller() {
        Caller caller = current.get();
        if (caller == null) {
            throw new ProblemException(401, "Unauthorized", "sign in or send a bearer token", List.of());
        }
        return caller;
    }

    /** Requires at least {@code role} in the project; answers the caller's role there. */
    public Role require(UUID projectId, Role role) {
        Caller caller = caller();
        Role has = caller.roleIn(projectId).orElseThrow(() -> ProblemException.notFound("project", projectId));
        if (!has.atLeast(role)) {
            throw forbidden("needs the " + role.wireName() + " role in project " + projectId + "; you have "
                    + has.wireName());
        }
        return has;
    }

    /**
     * Requires at least {@code role} in the project that owns a thing found by id (an item, a version, ...): for a
     * caller who may not see the project the thing does not exist (404 naming the thing, never its project).
     */
    public Role requireFor(String what, Object id, UUID projectId, Role role) {
        Caller caller = caller();
        Role has = caller.roleIn(projectId).orElseThrow(() -> ProblemException.notFound(what, id));
        if (!has.atLeast(role)) {
            throw forbidden("needs the " + role.wireName() + " role in the project of " + what + " " + id
                    + "; you have " + has.wireName());
        }
        return has;
    }

    /** Whether the caller may read the project (is a member, a global admin or a service). */
    public boolean sees(UUID projectId) {
        return caller().roleIn(projectId).isPresent();
    }

    public void requireGlobalAdmin() {
        Caller caller = caller();
        if (!caller.isGlobalAdmin()) {
            throw forbidden("only a Loupe administrator may do this");
        }
    }

    /** Only these Loupe services (by name, e.g. {@code trainer}) may call; users get 403. */
    public void requireService(String... names) {
        Caller caller = caller();
        if (!caller.isService() || !Arrays.asList(names).contains(caller.service())) {
            throw forbidden("only the " + String.join(" or ", names) + " service may call this");
        }
    }

    /** The name the audit trail records for this request's changes. */
    public String actor() {
        return caller().actor();
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, List.of());
    }
}
