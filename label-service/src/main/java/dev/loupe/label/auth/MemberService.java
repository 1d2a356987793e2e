package dev.loupe.label.auth;

import dev.loupe.common.rest.FieldError;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Who may do what in a project. Each change is an access event, so every service's cache forgets the old roles. */
@ApplicationScoped
public class MemberService {

    static final int MAX_MEMBERS = 1000;

    /** A member as the API shows it. */
    public record Member(UUID userId, String username, String displayName, Role role) {
    }

    /** One entry of a members list to set: a username and its role. */
    public record MemberRole(String username, String role) {
    }

    private final AuthService auth;

    public MemberService(AuthService auth) {
        this.auth = auth;
    }

    public List<Member> members(UUID projectId) {
        List<ProjectMember> rows = ProjectMember.list("projectId", projectId);
        Map<UUID, Account> accounts = new HashMap<>();
        if (!rows.isEmpty()) {
            Account.<Account>list("id in ?1", rows.stream().map(m -> m.accountId).toList()).forEach(a -> accounts.put(a.id, a));
        }
        return rows.stream().map(m -> {
            Account a = accounts.get(m.accountId);
            return new Member(m.accountId, a.username, a.displayName, Role.parse(m.role));
        }).sorted(java.util.Comparator.comparing(Member::username)).toList();
    }

    /** Replaces the project's members; at least one admin must remain. */
    @Transactional
    public List<Member> replace(UUID projectId, List<MemberRole> wanted) {
        if (wanted == null) {
            throw ProblemException.badRequest("body", "a JSON array of {username, role} is required");
        }
        if (wanted.size() > MAX_MEMBERS) {
            throw ProblemException.unprocessable("body", "at most " + MAX_MEMBERS + " members");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<UUID, Role> next = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < wanted.size(); i++) {
            MemberRole entry = wanted.get(i);
            String at = "[" + i + "]";
            if (entry == null || entry.username() == null || entry.username().isBlank()) {
                errors.add(new FieldError(at + ".username", "required"));
                continue;
            }
            Role role = Role.parse(entry.role());
            if (role == null) {
                errors.add(new FieldError(at + ".role", "one of viewer, annotator, curator, admin"));
            }
            Account account = entry.username().length() > 64 ? null : Account.byUsername(entry.username().strip());
            if (account == null) {
                errors.add(new FieldError(at + ".username", "no account named '" + abbreviate(entry.username()) + "'"));
            } else if (!seen.add(account.username)) {
                errors.add(new FieldError(at + ".username", "listed twice"));
            } else if (role != null) {
                next.put(account.id, role);
            }
        }
        if (errors.isEmpty() && !next.containsValue(Role.ADMIN)) {
            errors.add(new FieldError("body", "a project needs at least one admin"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(errors);
        }
        Instant now = Instant.now();
        Map<UUID, ProjectMember> current = new HashMap<>();
        ProjectMember.<ProjectMember>list("projectId", projectId).forEach(m -> current.put(m.accountId, m));
        for (ProjectMember member : current.values()) {
            Role role = next.get(member.accountId);
            if (role == null) {
                member.delete();
                auth.changed(projectId, member.accountId, "membership");
            } else if (!role.wireName().equals(member.role)) {
                member.role = role.wireName();
                auth.changed(projectId, member.accountId, "membership");
            }
        }
        next.forEach((accountId, role) -> {
            if (!current.containsKey(accountId)) {
                add(projectId, accountId, role, now);
                auth.changed(projectId, accountId, "membership");
            }
        });
        ProjectMember.flush();
        return members(projectId);
    }

    /** Makes the creator of a new project its admin (inside the creating transaction). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void addCreator(UUID projectId, UUID accountId) {
        add(projectId, accountId, Role.ADMIN, Instant.now());
        auth.changed(projectId, accountId, "membership");
    }

    private static void add(UUID projectId, UUID accountId, Role role, Instant now) {
        ProjectMember member = new ProjectMember();
        member.id = UUID.randomUUID();
        member.projectId = projectId;
        member.accountId = accountId;
        member.role = role.wireName();
        member.addedAt = now;
        member.persist();
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
