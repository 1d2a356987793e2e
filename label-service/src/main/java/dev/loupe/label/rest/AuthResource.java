package dev.loupe.label.rest;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.auth.AuthService;
import dev.loupe.label.auth.SigningKeys;
import dev.loupe.security.Access;
import dev.loupe.security.AuthConfig;
import dev.loupe.security.Caller;
import dev.loupe.security.PublicEndpoint;
import dev.loupe.security.Role;
import dev.loupe.security.Tokens;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Signing in and out, who am I, API tokens, the JWKS and the token endpoint of the services. */
@Path("/api/auth")
@Tag(name = "auth")
public class AuthResource {

    /** A sign-in with a username and password. */
    public record SignIn(String username, String password) {
    }

    /** The signed-in user and the CSRF token the page repeats in X-Loupe-CSRF on every change. */
    public record SessionView(AuthService.UserView user, String csrfToken, Instant expiresAt) {
    }

    /** Who the caller is and what it may do. */
    public record Me(String kind, UUID id, String username, String displayName, boolean globalAdmin, Role tokenRole,
                     Map<UUID, Role> projects) {
    }

    /** A change of the caller's own password. */
    public record PasswordChange(String currentPassword, String newPassword) {
    }

    /** A request for an API token: a name, an optional role cap and life in days. */
    public record TokenRequest(String name, String role, Integer expiresInDays) {
    }

    private final AuthService auth;
    private final SigningKeys keys;
    private final Access access;
    private final AuthConfig config;

    public AuthResource(AuthService auth, SigningKeys keys, Access access, AuthConfig config) {
        this.auth = auth;
        this.keys = keys;
        this.access = access;
        this.config = config;
    }

    @POST
    @Path("/session")
    @PublicEndpoint
    @Operation(summary = "Sign in with a username and password: sets the HttpOnly session cookie and answers the CSRF token")
    public Response signIn(SignIn request, UriInfo uri, @RestHeader("X-Forwarded-Proto") String forwardedProto) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {username, password} is required");
        }
        AuthService.NewSession session = auth.signIn(request.username(), request.password());
        boolean secure = secure(uri, forwardedProto);
        int maxAge = (int) Duration.between(Instant.now(), session.expiresAt()).toSeconds();
        return Response.ok(new SessionView(session.user(), session.csrf(), session.expiresAt()))
                .cookie(cookie(config.sessionCookie(), session.token(), true, secure, maxAge),
                        cookie(Tokens.CSRF_COOKIE, session.csrf(), false, secure, maxAge))
                .build();
    }

    @DELETE
    @Path("/session")
    @Operation(summary = "Sign out: ends the session and clears its cookies")
    public Response signOut(UriInfo uri, @RestHeader("X-Forwarded-Proto") String forwardedProto) {
        auth.signOut(access.caller());
        boolean secure = secure(uri, forwardedProto);
        return Response.noContent().cookie(cookie(config.sessionCookie(), "", true, secure, 0),
                cookie(Tokens.CSRF_COOKIE, "", false, secure, 0)).build();
    }

    @GET
    @Path("/me")
    @Operation(summary = "Who the caller is: user (or service), global administrator or not, role in each project")
    public Me me() {
        Caller caller = access.caller();
        if (caller.isService()) {
            return new Me("service", null, caller.name(), null, false, null, Map.of());
        }
        AuthService.UserView user = auth.user(caller.grant().userId());
        return new Me("user", user.id(), user.username(), user.displayName(), user.globalAdmin(),
                caller.grant().roleCap(), caller.memberships());
    }

    @PUT
    @Path("/me/password")
    @Operation(summary = "Change your own password (your other sessions end)")
    public Response changePassword(PasswordChange request) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {currentPassword, newPassword} is required");
        }
        auth.changeOwnPassword(access.caller(), request.currentPassword(), request.newPassword());
        return Response.noContent().build();
    }

    @GET
    @Path("/tokens")
    @Operation(summary = "Your API tokens (never the tokens themselves)")
    public List<AuthService.TokenView> tokens() {
        return auth.tokens(access.caller());
    }

    @POST
    @Path("/tokens")
    @Operation(summary = "Create an API token: answered once, stored only as a hash; optional role cap and life in days")
    public Response createToken(TokenRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {name, role, expiresInDays} is required");
        }
        return Response.status(201).entity(auth.createToken(access.caller(), request.name(), request.role(),
                request.expiresInDays())).build();
    }

    @DELETE
    @Path("/tokens/{id}")
    @Operation(summary = "Revoke an API token; it stops working in every service at once")
    public Response revoke(@RestPath UUID id) {
        auth.revokeToken(access.caller(), id);
        return Response.noContent().build();
    }

    @GET
    @Path("/jwks")
    @PublicEndpoint
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The public keys that verify every Loupe token (JWKS)")
    public String jwks() {
        return keys.jwks();
    }

    @POST
    @Path("/token")
    @PublicEndpoint
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "OAuth 2.0 client credentials grant for the Loupe services (client_id and client_secret in the form or HTTP Basic)")
    public Map<String, Object> token(@RestForm("grant_type") String grantType, @RestForm("client_id") String clientId,
                                     @RestForm("client_secret") String clientSecret,
                                     @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    clientId = pair.substring(0, colon);
                    clientSecret = pair.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("Authorization", "not valid Basic credentials");
            }
        }
        return auth.serviceToken(grantType, clientId, clientSecret);
    }

    private boolean secure(UriInfo uri, String forwardedProto) {
        return secure(config, uri, forwardedProto);
    }

    static boolean secure(AuthConfig config, UriInfo uri, String forwardedProto) {
        return switch (config.secureCookies()) {
            case "true" -> true;
            case "false" -> false;
            default -> "https".equalsIgnoreCase(uri.getRequestUri().getScheme()) || "https".equalsIgnoreCase(forwardedProto);
        };
    }

    static NewCookie cookie(String name, String value, boolean httpOnly, boolean secure, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(httpOnly).secure(secure).maxAge(maxAge)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
