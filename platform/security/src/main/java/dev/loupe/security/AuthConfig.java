package dev.loupe.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code loupe.auth.*}: how a service checks its callers and proves its own identity to the others. */
@ConfigMapping(prefix = "loupe.auth")
public interface AuthConfig {

    /** The {@code iss} of every Loupe token. */
    @WithDefault("loupe")
    String issuer();

    /**
     * The label service (issuer of every token): its JWKS verifies tokens, it resolves memberships and hands out
     * service tokens. Not used by the label service itself.
     */
    Optional<String> labelUrl();

    /** This service's name as a client of the label service's token endpoint (e.g. {@code dataset}). */
    Optional<String> clientId();

    /** This service's secret for the token endpoint. */
    Optional<String> clientSecret();

    /** How long a resolved membership is trusted without an access event; events evict it sooner. */
    @WithDefault("30S")
    Duration accessCacheTtl();

    /** The session cookie's name. */
    @WithDefault("loupe_session")
    String sessionCookie();

    /**
     * Addresses (IPs or CIDR ranges) of a reverse proxy trusted to name the user in {@code Loupe-User}; the header
     * is ignored from anywhere else. Empty by default.
     */
    Optional<List<String>> trustedProxies();

    // ---- the issuer's settings (label service only) ----

    /** The secret of each service allowed to ask for a service token, by client id; unset: that service may not. */
    ServiceSecrets serviceSecrets();

    /** The first administrator, created when no account exists. */
    Admin admin();

    /** bcrypt cost of stored passwords (2^cost rounds). */
    @WithDefault("12")
    int bcryptCost();

    /** How long a sign-in session lasts. */
    @WithDefault("12H")
    Duration sessionTtl();

    /** The longest (and default) life of an API token. */
    @WithDefault("365D")
    Duration apiTokenMaxTtl();

    /** How long a service token lasts. */
    @WithDefault("10M")
    Duration serviceTokenTtl();

    /** Session cookies are {@code Secure}: {@code auto} (when the request came over HTTPS), {@code true}, {@code false}. */
    @WithDefault("auto")
    String secureCookies();

    interface ServiceSecrets {
        Optional<String> embedding();

        Optional<String> augment();

        Optional<String> dataset();

        Optional<String> trainer();

        /** The secret of a client id, if that service may ask for tokens. */
        default Optional<String> of(String clientId) {
            return switch (clientId) {
                case "embedding" -> embedding();
                case "augment" -> augment();
                case "dataset" -> dataset();
                case "trainer" -> trainer();
                default -> Optional.empty();
            };
        }
    }

    interface Admin {
        @WithDefault("admin")
        String username();

        /** Its password; when unset, one is generated and logged once. */
        Optional<String> password();
    }
}
