package dev.loupe.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.ProblemException;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The label service as every other service sees it for authentication: its JWKS, its membership resolution and its
 * token endpoint. The label service itself replaces these default beans with local ones.
 */
@ApplicationScoped
public class LabelServiceAuth {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AuthConfig config;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public LabelServiceAuth(AuthConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    private String labelUrl() {
        return config.labelUrl().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                .orElseThrow(() -> new IllegalStateException("loupe.auth.label-url is not set"));
    }

    @Produces
    @DefaultBean
    @ApplicationScoped
    KeySource jwks() {
        HttpsJwks jwks = new HttpsJwks(labelUrl() + "/api/auth/jwks");
        jwks.setDefaultCacheDuration(300);
        jwks.setRetainCacheOnErrorDuration(600);
        VerificationKeyResolver resolver = new HttpsJwksVerificationKeyResolver(jwks);
        return () -> resolver;
    }

    @Produces
    @DefaultBean
    @ApplicationScoped
    AccessResolver remoteResolver(ServiceTokenSource tokens) {
        return credentialId -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(labelUrl() + "/api/internal/access/"
                            + URLEncoder.encode(credentialId, StandardCharsets.UTF_8)))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + tokens.token())
                    .header("Accept", "application/json").GET().build();
            HttpResponse<String> response = send(request);
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw unavailable("the label service answered " + response.statusCode() + " to a membership lookup");
            }
            try {
                return Optional.of(json.readValue(response.body(), AccessGrant.class));
            } catch (IOException e) {
                throw unavailable("the label service's membership answer is not readable");
            }
        };
    }

    @Produces
    @DefaultBean
    @ApplicationScoped
    ServiceTokenSource remoteTokens() {
        String clientId = config.clientId().orElse(null);
        String secret = config.clientSecret().orElse(null);
        return new ServiceTokenSource() {
            private volatile String token;
            private volatile Instant renewAt = Instant.MIN;

            @Override
            public String token() {
                if (token != null && Instant.now().isBefore(renewAt)) {
                    return token;
                }
                synchronized (this) {
                    if (token != null && Instant.now().isBefore(renewAt)) {
                        return token;
                    }
                    if (clientId == null || secret == null || secret.isBlank()) {
                        throw new IllegalStateException(
                                "loupe.auth.client-id and loupe.auth.client-secret must be set to call other services");
                    }
                    String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(labelUrl() + "/api/auth/token")).timeout(TIMEOUT)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build();
                    HttpResponse<String> response = send(request);
                    if (response.statusCode() != 200) {
                        throw unavailable("the label service refused this service's credential (" + response.statusCode() + ")");
                    }
                    try {
                        JsonNode body = json.readTree(response.body());
                        long expiresIn = body.path("expires_in").asLong(60);
                        token = body.path("access_token").asText();
                        renewAt = Instant.now().plusSeconds(Math.max(5, expiresIn - Math.min(60, expiresIn / 4)));
                        return token;
                    } catch (IOException e) {
                        throw unavailable("the label service's token answer is not readable");
                    }
                }
            }
        };
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("the label service cannot be reached to check credentials: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while checking credentials");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static ProblemException unavailable(String detail) {
        return new ProblemException(503, "Service unavailable", detail, List.of());
    }
}
