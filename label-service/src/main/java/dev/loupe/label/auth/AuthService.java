package dev.loupe.label.auth;

import dev.loupe.common.outbox.Outbox;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.util.Digests;
import dev.loupe.events.AccessChanged;
import dev.loupe.security.AccessCache;
import dev.loupe.security.AccessGrant;
import dev.loupe.security.AccessResolver;
import dev.loupe.security.AuthConfig;
import dev.loupe.security.Caller;
import dev.loupe.security.Role;
import dev.loupe.security.Tokens;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Loupe's own accounts and the credentials they sign in with: sessions (the web page's cookie), API tokens (scripts)
 * and service tokens (the other services). Every token is a JWT signed by {@link SigningKeys}; sessions and API
 * tokens are also rows, so signing out and revoking take effect at once ({@link #resolve}).
 */
@ApplicationScoped
public class AuthService {

    private static final Logger LOG = Logger.getLogger(AuthService.class);
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    static final int MAX_TOKENS = 100;
    private static final int MAX_FAILURES = 10;
    private static final Duration LOCKOUT = Duration.ofMinutes(5);

    /** A user as the API shows it. */
    public record UserView(UUID id, String username, String displayName, boolean globalAdmin, boolean disabled,
                           String provider, Instant createdAt) {
    }

    /** A new session: the JWT for the cookie and its CSRF secret. */
    public record NewSession(UserView user, String token, String csrf, Instant expiresAt) {
    }

    /** An API token as listed (never with the token itself). */
    public record TokenView(UUID id, String name, Role role, Instant createdAt, Instant expiresAt, Instant revokedAt) {
    }

    /** A new API token: shown once. */
    public record NewToken(UUID id, String name, Role role, Instant createdAt, Instant expiresAt, String token) {
    }

    private record Failures(int count, Instant since) {
    }

    private final EntityManager em;
    private final SigningKeys keys;
    private final Passwords passwords;
    private final AuthConfig config;
    private final Outbox outbox;
    private final AccessCache cache;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public AuthService(EntityManager em, SigningKeys keys, Passwords passwords, AuthConfig config, Outbox outbox,
                       AccessCache cache) {
        this.em = em;
        this.keys = keys;
        this.passwords = passwords;
        this.config = config;
        this.outbox = outbox;
        this.cache = cache;
    }

    /** The first administrator, when there is no account yet. */
    @Startup(20)
    @Transactional
    void bootstrapAdmin() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('label.account'))").getSingleResult();
        if (Account.count() > 0) {
            return;
        }
        String password = config.admin().password().filter(p -> !p.isBlank()).orElse(null);
        boolean generated = password == null;
        if (generated) {
            password = passwords.generate();
        } else if (Passwords.problem(password) != null) {
            throw new IllegalStateException("LOUPE_ADMIN_PASSWORD (loupe.auth.admin.password): " + Passwords.problem(password));
        }
        Account admin = newAccount(config.admin().username(), null, true);
        admin.passwordHash = passwords.hash(password);
        admin.persist();
        if (generated) {
            LOG.warnf("created the first administrator '%s' with the generated password %s (shown once: sign in and "
                    + "change it, or set LOUPE_ADMIN_PASSWORD before the first start)", admin.username, password);
        } else {
            LOG.infof("created the first administrator '%s' (password from loupe.auth.admin.password)", admin.username);
        }
    }

    // ---- signing in ----

    /** Checks a username and password and opens a session; 401 for a wrong pair, 429 after repeated failures. */
    @Transactional
    public NewSession signIn(String username, String password) {
        new FieldErrors().check(username == null || username.isBlank(), "username", "required")
                .check(password == null || password.isEmpty(), "password", "required").throwIfAny();
        String key = username.strip().toLowerCase(java.util.Locale.ROOT);
        Failures failed = failures.get(key);
        if (failed != null && failed.count() >= MAX_FAILURES && Instant.now().isBefore(failed.since().plus(LOCKOUT))) {
            throw new ProblemException(429, "Too many attempts", "too many failed sign-ins for this account; "
                    + "try again in a few minutes", List.of());
        }
        Account account = Account.byUsername(username.strip());
        boolean ok = passwords.matches(account == null ? null : account.passwordHash, password);
        if (!ok || account.disabled) {
            failures.merge(key, new Failures(1, Instant.now()), (a, b) ->
                    Instant.now().isAfter(a.since().plus(LOCKOUT)) ? b : new Failures(a.count() + 1, a.since()));
            throw new ProblemException(401, "Unauthorized", "wrong username or password", List.of());
        }
        failures.remove(key);
        return openSession(account);
    }

    /** A session for an account that signed in (with a password here, or at an identity provider). */
    @Transactional
    public NewSession openSession(Account account) {
        Instant now = Instant.now();
        Credential session = new Credential();
        session.id = UUID.randomUUID();
        session.accountId = account.id;
        session.kind = Credential.SESSION;
        session.createdAt = now;
        session.expiresAt = now.plus(config.sessionTtl());
        session.persist();
        String csrf = randomSecret();
        JwtClaims claims = claims(account.id.toString(), session.id.toString(), Tokens.SESSION, session.expiresAt);
        claims.setStringClaim(Tokens.CSRF, csrf);
        claims.setStringClaim("preferred_username", account.username);
        String token = keys.sign(claims);
        session.tokenSha256 = Digests.sha256(token.getBytes(StandardCharsets.UTF_8));
        return new NewSession(view(account), token, csrf, session.expiresAt);
    }

    /** Ends the caller's session (sign-out). */
    @Transactional
    public void signOut(Caller caller) {
        if (caller.grant() == null) {
            return;
        }
        Credential credential = Credential.findById(UUID.fromString(caller.grant().credentialId()));
        if (credential != null && Credential.SESSION.equals(credential.kind) && credential.revokedAt == null) {
            credential.revokedAt = Instant.now();
            changed(null, credential.accountId, "session");
        }
    }

    // ---- API tokens ----

    @Transactional
    public NewToken createToken(Caller caller, String name, String roleName, Integer expiresInDays) {
        UUID accountId = userOf(caller);
        Role role = roleName == null ? null : Role.parse(roleName);
        long maxDays = Math.max(1, config.apiTokenMaxTtl().toDays());
        FieldErrors errors = new FieldErrors()
                .check(name == null || name.isBlank(), "name", "required")
                .check(name != null && name.strip().length() > 100, "name", "at most 100 characters")
                .check(roleName != null && role == null, "role", "one of viewer, annotator, curator, admin")
                .check(expiresInDays != null && (expiresInDays < 1 || expiresInDays > maxDays), "expiresInDays",
                        "between 1 and " + maxDays);
        errors.throwIfAny();
        if (Credential.count("accountId = ?1 and kind = ?2 and revokedAt is null and expiresAt > ?3", accountId,
                Credential.API, Instant.now()) >= MAX_TOKENS) {
            throw ProblemException.unprocessable("name", "at most " + MAX_TOKENS + " live tokens per account; revoke one");
        }
        Instant now = Instant.now();
        Credential token = new Credential();
        token.id = UUID.randomUUID();
        token.accountId = accountId;
        token.kind = Credential.API;
        token.name = name.strip();
        token.roleCap = role == null ? null : role.wireName();
        token.createdAt = now;
        token.expiresAt = now.plus(Duration.ofDays(expiresInDays == null ? maxDays : expiresInDays));
        JwtClaims claims = claims(accountId.toString(), token.id.toString(), Tokens.API, token.expiresAt);
        if (role != null) {
            claims.setStringClaim(Tokens.SCOPE, role.wireName());
        }
        String jwt = keys.sign(claims);
        token.tokenSha256 = Digests.sha256(jwt.getBytes(StandardCharsets.UTF_8));
        token.persist();
        return new NewToken(token.id, token.name, role, token.createdAt, token.expiresAt, jwt);
    }

    public List<TokenView> tokens(Caller caller) {
        return Credential.<Credential>list("accountId = ?1 and kind = ?2 ORDER BY createdAt", userOf(caller), Credential.API)
                .stream().map(c -> new TokenView(c.id, c.name, Role.parse(c.roleCap), c.createdAt, c.expiresAt, c.revokedAt))
                .toList();
    }

    /** Revokes one of the caller's API tokens (a global admin may revoke anyone's); 404 for others' tokens. */
    @Transactional
    public void revokeToken(Caller caller, UUID id) {
        Credential token = Credential.findById(id);
        if (token == null || !Credential.API.equals(token.kind)
                || (!caller.isGlobalAdmin() && !token.accountId.equals(userOf(caller)))) {
            throw ProblemException.notFound("token", id);
        }
        if (token.revokedAt == null) {
            token.revokedAt = Instant.now();
            changed(null, token.accountId, "token");
        }
    }

    // ---- services ----

    /** A service token for a client id and secret from {@code loupe.auth.service-secrets}; 401 otherwise. */
    public Map<String, Object> serviceToken(String grantType, String clientId, String secret) {
        if (!"client_credentials".equals(grantType)) {
            throw ProblemException.badRequest("grant_type", "only client_credentials is supported");
        }
        String expected = clientId == null ? null : config.serviceSecrets().of(clientId).orElse(null);
        if (expected == null || expected.isBlank() || secret == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(401, "Unauthorized", "unknown client or wrong secret", List.of());
        }
        Instant expires = Instant.now().plus(config.serviceTokenTtl());
        JwtClaims claims = claims("service:" + clientId, UUID.randomUUID().toString(), Tokens.SERVICE, expires);
        claims.setStringClaim(Tokens.SERVICE_NAME, clientId);
        return Map.of("access_token", keys.sign(claims), "token_type", "Bearer",
                "expires_in", config.serviceTokenTtl().toSeconds());
    }

    // ---- resolution ----

    /** What a session or API token may do now; empty when it is unknown, revoked, expired or its account disabled. */
    @Transactional
    public Optional<AccessGrant> resolve(String credentialId) {
        UUID id;
        try {
            id = UUID.fromString(credentialId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Credential credential = Credential.findById(id);
        if (credential == null || !credential.live(Instant.now())) {
            return Optional.empty();
        }
        Account account = Account.findById(credential.accountId);
        if (account == null || account.disabled) {
            return Optional.empty();
        }
        Map<UUID, Role> projects = new HashMap<>();
        ProjectMember.<ProjectMember>list("accountId", account.id).forEach(m -> projects.put(m.projectId, Role.parse(m.role)));
        return Optional.of(new AccessGrant(credential.id.toString(), account.id, account.username, account.globalAdmin,
                Role.parse(credential.roleCap), credential.expiresAt, projects));
    }

    /** The label service resolves credentials from its own tables. */
    @Produces
    @ApplicationScoped
    AccessResolver localResolver() {
        return this::resolve;
    }

    // ---- accounts ----

    public List<UserView> users() {
        return Account.<Account>list("ORDER BY username").stream().map(AuthService::view).toList();
    }

    public UserView user(UUID id) {
        return view(requireAccount(id));
    }

    @Transactional
    public UserView createUser(String username, String password, String displayName, Boolean globalAdmin) {
        FieldErrors errors = new FieldErrors()
                .check(username == null || !USERNAME.matcher(username).matches(), "username",
                        "1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
                .check(displayName != null && displayName.length() > 200, "displayName", "at most 200 characters");
        String problem = Passwords.problem(password);
        errors.check(problem != null, "password", problem);
        errors.throwIfAny();
        if (Account.byUsername(username) != null) {
            throw ProblemException.conflict("username", "an account named '" + username + "' exists already");
        }
        Account account = newAccount(username, displayName, Boolean.TRUE.equals(globalAdmin));
        account.passwordHash = passwords.hash(password);
        account.persist();
        return view(account);
    }

    /** Changes an account (a global admin's call); null fields stay. */
    @Transactional
    public UserView updateUser(Caller caller, UUID id, String password, String displayName, Boolean globalAdmin, Boolean disabled) {
        Account account = requireAccount(id);
        FieldErrors errors = new FieldErrors()
                .check(displayName != null && displayName.length() > 200, "displayName", "at most 200 characters");
        String problem = password == null ? null : Passwords.problem(password);
        errors.check(problem != null, "password", problem);
        boolean self = caller.userId().map(id::equals).orElse(false);
        errors.check(self && Boolean.FALSE.equals(globalAdmin), "globalAdmin", "you cannot remove your own administrator right");
        errors.check(self && Boolean.TRUE.equals(disabled), "disabled", "you cannot disable your own account");
        errors.check(password != null && !"local".equals(account.provider), "password",
                "this account signs in through an identity provider");
        errors.throwIfAny();
        if (password != null) {
            account.passwordHash = passwords.hash(password);
            revokeSessions(account.id, caller.grant() == null ? null : caller.grant().credentialId());
        }
        if (displayName != null) {
            account.displayName = displayName.isBlank() ? null : displayName.strip();
        }
        if (globalAdmin != null) {
            account.globalAdmin = globalAdmin;
        }
        if (disabled != null) {
            account.disabled = disabled;
        }
        changed(null, account.id, "account");
        return view(account);
    }

    /** Changes the caller's own password; the current one must be given. Other sessions end. */
    @Transactional
    public void changeOwnPassword(Caller caller, String current, String password) {
        Account account = requireAccount(userOf(caller));
        if (!passwords.matches(account.passwordHash, current)) {
            throw ProblemException.unprocessable("currentPassword", "does not match");
        }
        String problem = Passwords.problem(password);
        if (problem != null) {
            throw ProblemException.unprocessable("newPassword", problem);
        }
        account.passwordHash = passwords.hash(password);
        revokeSessions(account.id, caller.grant().credentialId());
        changed(null, account.id, "account");
    }

    /** Finds or makes the account of someone who signed in at an OpenID Connect provider. */
    @Transactional
    public Account externalAccount(String subject, String username, String displayName, boolean globalAdmin) {
        Account account = Account.find("externalSubject", subject).firstResult();
        if (account == null) {
            String name = username != null && USERNAME.matcher(username).matches() ? username : "user-" + UUID.randomUUID();
            if (Account.byUsername(name) != null) {
                name = name + "-" + UUID.randomUUID().toString().substring(0, 8);
            }
            account = newAccount(name, displayName, globalAdmin);
            account.provider = "oidc";
            account.externalSubject = subject;
            account.persist();
        } else if (account.globalAdmin != globalAdmin || (displayName != null && !displayName.equals(account.displayName))) {
            account.globalAdmin = globalAdmin;
            account.displayName = displayName;
            changed(null, account.id, "account");
        }
        if (account.disabled) {
            throw new ProblemException(403, "Forbidden", "this account is disabled", List.of());
        }
        return account;
    }

    public Account requireAccount(UUID id) {
        Account account = Account.findById(id);
        if (account == null) {
            throw ProblemException.notFound("user", id);
        }
        return account;
    }

    /** Records an access change: cached grants here are evicted after commit, other services' through the event. */
    void changed(UUID projectId, UUID accountId, String what) {
        outbox.publish(new AccessChanged(projectId, accountId, what, Instant.now()), Instant.now());
        cache.evictUser(accountId);
    }

    private void revokeSessions(UUID accountId, String except) {
        Instant now = Instant.now();
        Credential.<Credential>list("accountId = ?1 and kind = ?2 and revokedAt is null", accountId, Credential.SESSION)
                .stream().filter(c -> !c.id.toString().equals(except)).forEach(c -> c.revokedAt = now);
    }

    private static UUID userOf(Caller caller) {
        return caller.userId().orElseThrow(() ->
                new ProblemException(403, "Forbidden", "only a signed-in user has tokens and a password", List.of()));
    }

    private JwtClaims claims(String subject, String id, String kind, Instant expires) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setAudience(config.issuer());
        claims.setSubject(subject);
        claims.setJwtId(id);
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        claims.setStringClaim(Tokens.KIND, kind);
        return claims;
    }

    private String randomSecret() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Account newAccount(String username, String displayName, boolean globalAdmin) {
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.username = username;
        account.displayName = displayName == null || displayName.isBlank() ? null : displayName.strip();
        account.globalAdmin = globalAdmin;
        account.createdAt = Instant.now();
        return account;
    }

    static UserView view(Account a) {
        return new UserView(a.id, a.username, a.displayName, a.globalAdmin, a.disabled, a.provider, a.createdAt);
    }
}
