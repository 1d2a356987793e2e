package dev.loupe.testing;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;

/**
 * Credentials for tests, obtained the way a user gets them: sign in at the label service (the first administrator's
 * password is {@link #ADMIN_PASSWORD} in tests), then create an API token. Every service in a test stack shares
 * {@link #SERVICE_SECRET} as its client secret.
 */
public final class TestAuth {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String SERVICE_SECRET = "test-service-secret";

    private static final Map<String, String> ADMIN_TOKENS = new ConcurrentHashMap<>();

    private TestAuth() {
    }

    /** The configuration every service of a test stack needs (issuer side and client side). */
    public static Map<String, String> serviceConfig() {
        return Map.of(
                "loupe.auth.admin.password", ADMIN_PASSWORD,
                "loupe.auth.bcrypt-cost", "6",
                "loupe.auth.service-secrets.embedding", SERVICE_SECRET,
                "loupe.auth.service-secrets.augment", SERVICE_SECRET,
                "loupe.auth.service-secrets.dataset", SERVICE_SECRET,
                "loupe.auth.service-secrets.trainer", SERVICE_SECRET,
                "loupe.auth.client-secret", SERVICE_SECRET);
    }

    /** An API token of the first administrator at this label service (made once per label service). */
    public static String adminToken(String labelUrl) {
        return ADMIN_TOKENS.computeIfAbsent(labelUrl, url -> token(url, ADMIN, ADMIN_PASSWORD, null));
    }

    /** Signs in and creates an API token (optionally capped at {@code role}). */
    public static String token(String labelUrl, String username, String password, String role) {
        Session session = signIn(labelUrl, username, password);
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "test-" + UUID.randomUUID()));
        if (role != null) {
            body.put("role", role);
        }
        return session.spec().contentType(ContentType.JSON).body(body)
                .post("/api/auth/tokens").then().statusCode(201).extract().path("token");
    }

    /** A signed-in browser session: its cookies and CSRF token. */
    public record Session(String labelUrl, Map<String, String> cookies, String csrf) {
        /** A request with the session cookie and the CSRF header, as the web page sends it. */
        public io.restassured.specification.RequestSpecification spec() {
            return given().baseUri(labelUrl).header("Authorization", "").cookies(cookies).header("X-Loupe-CSRF", csrf);
        }
    }

    public static Session signIn(String labelUrl, String username, String password) {
        Response response = given().baseUri(labelUrl).header("Authorization", "").contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/api/auth/session");
        response.then().statusCode(200);
        return new Session(labelUrl, response.getCookies(), response.path("csrfToken"));
    }

    /** A service token from the label service's token endpoint (tests share {@link #SERVICE_SECRET}). */
    public static String serviceToken(String labelUrl, String clientId) {
        return given().baseUri(labelUrl).header("Authorization", "").contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", SERVICE_SECRET)
                .post("/api/auth/token").then().statusCode(200).extract().path("access_token");
    }

    /** Creates an account (as the administrator) and answers its id. */
    public static String createUser(String labelUrl, String username, String password) {
        return given().baseUri(labelUrl).header("Authorization", "Bearer " + adminToken(labelUrl))
                .contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/users").then().statusCode(201).extract().path("id");
    }

    /** Sets a project's members (as the administrator): username to role. */
    public static void setMembers(String labelUrl, String projectId, Map<String, String> roles) {
        List<Map<String, String>> body = new java.util.ArrayList<>();
        roles.forEach((user, role) -> body.add(Map.of("username", user, "role", role)));
        body.add(Map.of("username", ADMIN, "role", "admin"));
        given().baseUri(labelUrl).header("Authorization", "Bearer " + adminToken(labelUrl))
                .contentType(ContentType.JSON).body(body)
                .put("/api/projects/{id}/members", projectId).then().statusCode(200);
    }

    /** Makes every RestAssured request of this test JVM carry the administrator's token (tests may override it). */
    public static synchronized void useAdminByDefault(String labelUrl) {
        DEFAULT_CREDENTIAL.token = adminToken(labelUrl);
        if (!RestAssured.filters().contains(DEFAULT_CREDENTIAL)) {
            RestAssured.filters(DEFAULT_CREDENTIAL);
        }
    }

    private static final DefaultCredential DEFAULT_CREDENTIAL = new DefaultCredential();

    /** Adds the default token to a request that names no Authorization of its own (an empty one means anonymous). */
    private static final class DefaultCredential implements io.restassured.filter.Filter {
        private volatile String token;

        @Override
        public Response filter(io.restassured.specification.FilterableRequestSpecification request,
                               io.restassured.specification.FilterableResponseSpecification response,
                               io.restassured.filter.FilterContext context) {
            if (token != null && !request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + token);
            }
            return context.next(request, response);
        }
    }

    /**
     * For a {@code @QuarkusTest}: the label service of its stack ({@code loupe.label-service-url}), or the service
     * under test when it is the label service itself.
     */
    static Optional<String> labelUrlOfTestStack() {
        var config = ConfigProvider.getConfig();
        Optional<String> stack = config.getOptionalValue("loupe.label-service-url", String.class);
        if (stack.isPresent()) {
            return stack;
        }
        if ("label-service".equals(config.getOptionalValue("quarkus.application.name", String.class).orElse(""))) {
            String port = System.getProperty("quarkus.http.test-port",
                    config.getOptionalValue("quarkus.http.test-port", String.class).orElse("8081"));
            return Optional.of("http://localhost:" + port);
        }
        return Optional.empty();
    }

    /** Whether the cached administrator token still works at this label service (a restarted test app has a new one). */
    static void refreshIfStale(String labelUrl) {
        String token = ADMIN_TOKENS.get(labelUrl);
        if (token != null && given().baseUri(labelUrl).header("Authorization", "Bearer " + token)
                .get("/api/auth/me").statusCode() != 200) {
            ADMIN_TOKENS.remove(labelUrl);
        }
    }
}
