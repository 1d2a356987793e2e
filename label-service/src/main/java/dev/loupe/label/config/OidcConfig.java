package dev.loupe.label.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/**
 * Team sign-in through an OpenID Connect provider ({@code loupe.auth.oidc.*}, {@code LOUPE_AUTH_OIDC_*}). The
 * provider itself (URL, client id and secret) is quarkus-oidc's default tenant, see application.properties.
 */
@ConfigMapping(prefix = "loupe.auth.oidc")
public interface OidcConfig {

    /** Whether the sign-in page offers the provider (the same switch as {@code quarkus.oidc.tenant-enabled}). */
    @WithDefault("false")
    boolean enabled();

    /** Members of any of these groups are Loupe administrators; checked at each sign-in. */
    Optional<List<String>> adminGroups();

    /** The ID token claim listing the user's groups. */
    @WithDefault("groups")
    String groupsClaim();
}
