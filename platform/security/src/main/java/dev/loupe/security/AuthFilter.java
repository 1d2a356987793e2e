package dev.loupe.security;

import dev.loupe.common.rest.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every JAX-RS request needs a credential unless its method is a {@link PublicEndpoint}: a bearer token
 * (API or service token) or the session cookie. The token must be a Loupe JWT the label service signed; a user's
 * session or API token must also still be live (resolved through {@link AccessCache}). Cookie-authenticated writes
 * must repeat the session's CSRF secret in {@code X-Loupe-CSRF}. Failures answer 401 (no or bad credential) or 403
 * (CSRF) as problem+json.
 */
public class AuthFilter {

    private static final Logger LOG = Logger.getLogger(AuthFilter.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AuthConfig config;
    private final KeySource keys;
    private final AccessCache access;
    private final CurrentCaller current;
    private final TrustedProxies proxies;
    private volatile JwtConsumer consumer;

    public AuthFilter(AuthConfig config, KeySource keys, AccessCache access, CurrentCaller current) {
        this.config = config;
        this.keys = keys;
        this.access = access;
        this.current = current;
        this.proxies = new TrustedProxies(config.trustedProxies().orElse(List.of()));
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext request, SimpleResourceInfo resource, HttpServerRequest http) {
        if (isPublic(resource)) {
            return null;
        }
        String token = null;
        boolean fromCookie = false;
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return unauthorized("the Authorization header must be 'Bearer <token>'");
            }
            token = authorization.substring(7).strip();
        } else {
            Cookie cookie = request.getCookies().get(config.sessionCookie());
            if (cookie != null && cookie.getValue() != null && !cookie.getValue().isBlank()) {
                token = cookie.getValue();
                fromCookie = true;
            }
        }
        if (token == null || token.isEmpty()) {
            return unauthorized("sign in or send a bearer token (Authorization: Bearer <token>)");
        }
        JwtClaims claims;
        try {
            claims = consumer().processToClaims(token);
        } catch (InvalidJwtException e) {
            LOG.debugf("rejected a token: %s", e.getMessage());
            return unauthorized(e.hasExpired() ? "the token has expired" : "the token is not a valid Loupe token");
        } catch (RuntimeException e) {
            LOG.warnf("could not verify a token: %s", e.toString());
            return problem(503, "Service unavailable", "the keys that verify tokens cannot be read right now");
        }
        try {
            String kind = claims.getStringClaimValue(Tokens.KIND);
            if (Tokens.SERVICE.equals(kind)) {
                if (fromCookie) {
                    return unauthorized("a service token is not a session");
                }
                current.set(Caller.service(claims.getStringClaimValue(Tokens.SERVICE_NAME)));
                return null;
            }
            if (!Tokens.SESSION.equals(kind) && !Tokens.API.equals(kind)) {
                return unauthorized("the token is not a Loupe session or API token");
            }
            if (fromCookie && !SAFE_METHODS.contains(request.getMethod())) {
                String expected = claims.getStringClaimValue(Tokens.CSRF);
                String sent = request.getHeaderString(Tokens.CSRF_HEADER);
                if (expected == null || sent == null || !MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
                    return problem(403, "Forbidden", "a change made with the session cookie must repeat the "
                            + "session's CSRF token in the " + Tokens.CSRF_HEADER + " header");
                }
            }
            Optional<AccessGrant> grant = access.resolve(claims.getJwtId());
            if (grant.isEmpty() || !grant.get().userId().toString().equals(claims.getSubject())) {
                return unauthorized("the session or token has been revoked or has expired");
            }
            current.set(Caller.user(grant.get(), actor(grant.get(), request, http)), token);
            return null;
        } catch (MalformedClaimException e) {
            return unauthorized("the token's claims are malformed");
        } catch (dev.loupe.common.rest.ProblemException e) {
            return problem(e.status(), e.title(), e.getMessage());
        }
    }

    private String actor(AccessGrant grant, ContainerRequestContext request, HttpServerRequest http) {
        String header = request.getHeaderString(Tokens.USER_HEADER);
        if (header == null || header.isBlank() || proxies.isEmpty() || http.remoteAddress() == null
                || !proxies.contains(http.remoteAddress().hostAddress())) {
            return grant.username();
        }
        String name = header.strip();
        return name.length() > 200 || name.chars().anyMatch(Character::isISOControl) ? grant.username() : name;
    }

    private JwtConsumer consumer() {
        JwtConsumer c = consumer;
        if (c == null) {
            c = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setRequireJwtId()
                    .setAllowedClockSkewInSeconds(30)
                    .setExpectedIssuer(config.issuer())
                    .setExpectedAudience(config.issuer())
                    .setVerificationKeyResolver(keys.resolver())
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.RSA_USING_SHA256)
                    .build();
            consumer = c;
        }
        return c;
    }

    private static boolean isPublic(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return false;
        }
        if (resource.getResourceClass().isAnnotationPresent(PublicEndpoint.class)) {
            return true;
        }
        try {
            return resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes())
                    .isAnnotationPresent(PublicEndpoint.class);
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    static Response unauthorized(String detail) {
        return Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"loupe\"")
                .type("application/problem+json").entity(new Problem(null, "Unauthorized", 401, detail, null, List.of()))
                .build();
    }

    static Response problem(int status, String title, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(new Problem(null, title, status, detail, null, List.of())).build();
    }
}
