package dev.loupe.label.rest;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.auth.Account;
import dev.loupe.label.auth.AuthService;
import dev.loupe.label.config.OidcConfig;
import dev.loupe.security.AuthConfig;
import dev.loupe.security.PublicEndpoint;
import dev.loupe.security.Tokens;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Sign-in through the organisation's OpenID Connect provider. quarkus-oidc runs the authorization code flow on
 * {@code /api/auth/oidc/*} (application.properties: permission {@code oidc}); when this method runs, the provider has
 * authenticated the user and the identity carries its ID token. It opens a Loupe session like
 * {@link AuthResource#signIn}: from here on the user is a Loupe account like any other.
 */
@Path("/api/auth/oidc")
@Tag(name = "auth")
public class OidcResource {

    private static final Logger LOG = Logger.getLogger(OidcResource.class);
    /** quarkus-oidc's session cookie of the default tenant: not needed once the Loupe session exists. */
    static final String OIDC_SESSION_COOKIE = "q_session";

    private final AuthService auth;
    private final AuthConfig authConfig;
    private final OidcConfig config;
    private final Instance<SecurityIdentity> identity;

    public OidcResource(AuthService auth, AuthConfig authConfig, OidcConfig config, Instance<SecurityIdentity> identity) {
        this.auth = auth;
        this.authConfig = authConfig;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Path("/login")
    @PublicEndpoint
    @Operation(summary = "Sign in at the organisation's OpenID Connect provider: redirects there, and back here to set "
            + "the session cookies and redirect to the web page (303); with OIDC off, back to the sign-in page")
    @APIResponse(responseCode = "303", description = "Signed in: to the web page (/); or to /signin.html?error=... "
            + "(OIDC off, account disabled)")
    @APIResponse(responseCode = "302", description = "Not signed in at the provider yet: to its authorization endpoint")
    public Response login(UriInfo uri, @RestHeader("X-Forwarded-Proto") String forwardedProto) {
        if (!config.enabled()) {
            return toSignIn("sign-in through an identity provider is not enabled");
        }
        SecurityIdentity user = identity.get();
        if (user.isAnonymous() || !(user.getPrincipal() instanceof JsonWebToken token)) {
            // the code-flow permission guards this path, so only a misconfiguration gets here
            LOG.warn("GET /api/auth/oidc/login ran without an OpenID Connect identity: check quarkus.http.auth.permission.oidc");
            return toSignIn("the identity provider did not sign you in");
        }
        String issuer = token.getIssuer();
        String subject = token.getSubject();
        if (issuer == null || subject == null) {
            return toSignIn("the identity provider's token has no issuer or subject");
        }
        Set<String> groups = groups(token.getClaim(config.groupsClaim()));
        boolean admin = config.adminGroups().orElse(List.of()).stream().map(String::strip).anyMatch(groups::contains);
        String username = token.getClaim("preferred_username");
        String name = token.getClaim("name");
        AuthService.NewSession session;
        try {
            Account account = auth.externalAccount(issuer + "|" + subject, username, name, admin);
            session = auth.openSession(account);
        } catch (ProblemException e) {
            return toSignIn(e.getMessage());
        }
        LOG.infof("user %s signed in through %s (administrator: %s)", session.user().username(), issuer, admin);
        boolean secure = AuthResource.secure(authConfig, uri, forwardedProto);
        int maxAge = (int) Duration.between(Instant.now(), session.expiresAt()).toSeconds();
        return Response.seeOther(URI.create("/"))
                .cookie(AuthResource.cookie(authConfig.sessionCookie(), session.token(), true, secure, maxAge),
                        AuthResource.cookie(Tokens.CSRF_COOKIE, session.csrf(), false, secure, maxAge),
                        // the provider's tokens stay out of the browser from now on; a next sign-in asks the provider again
                        new NewCookie.Builder(OIDC_SESSION_COOKIE).value("").path("/").httpOnly(true).secure(secure)
                                .maxAge(0).build())
                .build();
    }

    private static Response toSignIn(String error) {
        return Response.seeOther(URI.create("/signin.html?error=" + URLEncoder.encode(error, StandardCharsets.UTF_8)))
                .build();
    }

    /** A groups claim is a list of names (a JSON array is a list too) or one name. */
    static Set<String> groups(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(OidcResource::text).collect(java.util.stream.Collectors.toSet());
        }
        return claim == null ? Set.of() : Set.of(text(claim));
    }

    private static String text(Object value) {
        return value instanceof jakarta.json.JsonString s ? s.getString() : String.valueOf(value);
    }
}
