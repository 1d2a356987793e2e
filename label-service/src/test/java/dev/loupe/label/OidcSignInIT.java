package dev.loupe.label;

import dev.loupe.devstack.Ports;
import dev.loupe.testing.KeycloakServer;
import dev.loupe.testing.LoupeStackTestResource;
import dev.loupe.testing.ServiceProcess;
import dev.loupe.testing.TestAuth;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Team sign-in through a real Keycloak (started by {@link KeycloakServer} with the realm of
 * {@code src/test/resources/keycloak/loupe-test-realm.json}, the deploy realm plus two users) and the packaged label
 * service with OIDC on, driven like a browser: a plain HTTP client with a cookie jar follows the authorization code
 * flow, fills in Keycloak's login form and comes back with a Loupe session.
 */
class OidcSignInIT {

    private static final String CLIENT_SECRET = "loupe-test-client-secret-of-32-characters";
    private static final Pattern FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*>", Pattern.DOTALL);
    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");

    private static final LoupeStackTestResource STACK = new LoupeStackTestResource();
    private static KeycloakServer keycloak;
    private static ServiceProcess label;

    @BeforeAll
    static void start() throws Exception {
        int labelPort = Ports.freePort();
        String labelUrl = "http://localhost:" + labelPort;
        Path realm = Path.of("src/test/resources/keycloak/loupe-test-realm.json").toAbsolutePath();
        // Keycloak takes longest: it starts while the broker and the database do
        CompletableFuture<KeycloakServer> starting = CompletableFuture.supplyAsync(() -> KeycloakServer.shared(
                List.of(realm), Map.of("LOUPE_OIDC_CLIENT_SECRET", CLIENT_SECRET, "LOUPE_LABEL_PUBLIC_URL", labelUrl)));
        STACK.init(Map.of("services", ""));
        Map<String, String> config = new HashMap<>(STACK.start());
        keycloak = starting.join();
        config.putAll(Map.of(
                "loupe.auth.oidc.enabled", "true",
                "quarkus.oidc.auth-server-url", keycloak.realmUrl("loupe"),
                "quarkus.oidc.client-id", "loupe-web",
                "quarkus.oidc.credentials.secret", CLIENT_SECRET,
                "loupe.auth.oidc.admin-groups", "some-other-group,loupe-admins"));
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath().normalize();
        label = ServiceProcess.start(root, "label-service", labelPort, config, Path.of("target/service-logs").toAbsolutePath());
    }

    @AfterAll
    static void stop() {
        if (label != null) {
            label.close();
        }
        STACK.stop();
    }

    @Test
    void theSignInPageOffersTheProvider() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> config = browser.get(label.url() + "/api/ui-config");
        assertEquals(200, config.statusCode());
        assertTrue(JsonPath.from(config.body()).getBoolean("oidc"), config.body());
    }

    @Test
    void aMemberOfTheAdminGroupSignsInAsALoupeAdministrator() throws Exception {
        Browser browser = new Browser();
        List<HttpResponse<String>> hops = browser.signIn("alice", "alice-password");
        HttpResponse<String> back = hops.stream().filter(r -> r.statusCode() == 303
                && r.uri().getPath().equals("/api/auth/oidc/login")).findFirst().orElseThrow(() ->
                new AssertionError("no 303 from /api/auth/oidc/login in " + describe(hops)));
        assertEquals("/", URI.create(back.headers().firstValue("Location").orElseThrow()).getPath());
        String setCookie = String.join("\n", back.headers().allValues("Set-Cookie"));
        assertTrue(setCookie.contains("loupe_session=") && setCookie.contains("HttpOnly")
                && setCookie.contains("SameSite=Strict") && setCookie.contains("loupe_csrf="), setCookie);
        assertEquals(200, hops.getLast().statusCode(), "the web page: " + describe(hops));

        JsonPath me = browser.me();
        assertEquals("alice", me.getString("username"));
        assertEquals("Alice Admin", me.getString("displayName"));
        assertTrue(me.getBoolean("globalAdmin"), me.prettify());
        String id = me.getString("id");

        // the session works like a local one: a change with its CSRF token, here creating a project as administrator
        HttpResponse<String> created = browser.send(HttpRequest.newBuilder(URI.create(label.url() + "/api/projects"))
                .header("Content-Type", "application/json").header("X-Loupe-CSRF", browser.cookie("loupe_csrf"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"oidc-" + System.nanoTime()
                        + "\",\"classes\":[\"i\",\"v\"]}")).build());
        assertEquals(201, created.statusCode(), created.body());

        // signing in again finds the same account
        Browser again = new Browser();
        again.signIn("alice", "alice-password");
        assertEquals(id, again.me().getString("id"));
    }

    @Test
    void someoneOutsideTheAdminGroupIsAnOrdinaryUserAndWorksWithApiTokens() throws Exception {
        Browser browser = new Browser();
        browser.signIn("bob", "bob-password");
        JsonPath me = browser.me();
        assertEquals("bob", me.getString("username"));
        assertEquals("Bob Builder", me.getString("displayName"));
        assertFalse(me.getBoolean("globalAdmin"), me.prettify());

        // an API token made with the session works without it, like a local user's
        HttpResponse<String> made = browser.send(HttpRequest.newBuilder(URI.create(label.url() + "/api/auth/tokens"))
                .header("Content-Type", "application/json").header("X-Loupe-CSRF", browser.cookie("loupe_csrf"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"script\"}")).build());
        assertEquals(201, made.statusCode(), made.body());
        String token = JsonPath.from(made.body()).getString("token");
        HttpClient plain = HttpClient.newHttpClient();
        HttpResponse<String> withToken = plain.send(HttpRequest.newBuilder(URI.create(label.url() + "/api/auth/me"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withToken.statusCode(), withToken.body());
        assertEquals("bob", JsonPath.from(withToken.body()).getString("username"));
        // not an administrator: may not create projects
        HttpResponse<String> refused = plain.send(HttpRequest.newBuilder(URI.create(label.url() + "/api/projects"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bobs\",\"classes\":[\"i\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode(), refused.body());
        // and the local administrator's token keeps working next to OIDC
        HttpResponse<String> admin = plain.send(HttpRequest.newBuilder(URI.create(label.url() + "/api/auth/me"))
                .header("Authorization", "Bearer " + TestAuth.adminToken(label.url())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, admin.statusCode(), admin.body());
        assertEquals(TestAuth.ADMIN, JsonPath.from(admin.body()).getString("username"));
    }

    @Test
    void aWrongPasswordStaysAtKeycloak() throws Exception {
        Browser browser = new Browser();
        List<HttpResponse<String>> hops = browser.signIn("alice", "not-her-password");
        HttpResponse<String> last = hops.getLast();
        assertEquals(200, last.statusCode());
        assertTrue(last.uri().toString().startsWith(keycloak.url()), "still at Keycloak: " + describe(hops));
        assertTrue(FORM.matcher(last.body()).find(), "the login form again");
        assertTrue(hops.stream().noneMatch(r -> r.uri().toString().startsWith(label.url() + "/api/auth/oidc/callback")),
                describe(hops));
        assertTrue(browser.cookieValue("loupe_session").isEmpty(), "no Loupe session");
        HttpResponse<String> me = browser.get(label.url() + "/api/auth/me");
        assertEquals(401, me.statusCode());
    }

    private static String describe(List<HttpResponse<String>> hops) {
        return hops.stream().map(r -> r.statusCode() + " " + r.uri()).toList().toString();
    }

    /**
     * Browsers treat {@code http://localhost} as a secure context and send {@code Secure} cookies there (Keycloak
     * marks its login cookies so); java.net's cookie manager sends them only over https.
     */
    private static final class LocalhostIsSecure extends CookieHandler {
        private final CookieManager cookies;

        LocalhostIsSecure(CookieManager cookies) {
            this.cookies = cookies;
        }

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            if ("http".equals(uri.getScheme()) && "localhost".equals(uri.getHost())) {
                try {
                    uri = new URI("https", uri.getUserInfo(), uri.getHost(), uri.getPort(), uri.getPath(),
                            uri.getQuery(), uri.getFragment());
                } catch (URISyntaxException e) {
                    throw new IOException(e);
                }
            }
            return cookies.get(uri, headers);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) throws IOException {
            cookies.put(uri, headers);
        }
    }

    /** A browser without JavaScript: a cookie jar and redirects followed one by one, so each hop can be checked. */
    private static final class Browser {
        private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new LocalhostIsSecure(cookies))
                .followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String url) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(url)).build());
        }

        /** Sends the request and follows its redirects; every response in order. */
        List<HttpResponse<String>> follow(HttpRequest first) throws IOException, InterruptedException {
            List<HttpResponse<String>> hops = new ArrayList<>();
            HttpResponse<String> response = send(first);
            hops.add(response);
            while (response.statusCode() >= 300 && response.statusCode() < 400 && hops.size() < 20) {
                URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                response = get(next.toString());
                hops.add(response);
            }
            return hops;
        }

        /** The code flow from the sign-in page's link: to Keycloak's form, the form filled in, back to Loupe. */
        List<HttpResponse<String>> signIn(String username, String password) throws IOException, InterruptedException {
            List<HttpResponse<String>> toForm = follow(HttpRequest.newBuilder(URI.create(label.url() + "/api/auth/oidc/login")).build());
            HttpResponse<String> redirect = toForm.getFirst();
            assertEquals(302, redirect.statusCode(), describe(toForm));
            String location = redirect.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith(keycloak.realmUrl("loupe") + "/protocol/openid-connect/auth?"), location);
            assertTrue(location.contains("code_challenge_method=S256"), "PKCE: " + location);
            HttpResponse<String> form = toForm.getLast();
            assertEquals(200, form.statusCode(), describe(toForm));
            Matcher formTag = FORM.matcher(form.body());
            assertTrue(formTag.find(), "Keycloak's login form: " + form.body());
            Matcher action = ACTION.matcher(formTag.group());
            assertTrue(action.find(), formTag.group());
            URI target = form.uri().resolve(action.group(1).replace("&amp;", "&"));
            String body = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&credentialId=";
            List<HttpResponse<String>> hops = new ArrayList<>(toForm);
            hops.addAll(follow(HttpRequest.newBuilder(target).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build()));
            return hops;
        }

        JsonPath me() throws IOException, InterruptedException {
            HttpResponse<String> me = get(label.url() + "/api/auth/me");
            assertEquals(200, me.statusCode(), me.body());
            return JsonPath.from(me.body());
        }

        Optional<String> cookieValue(String name) {
            return cookies.getCookieStore().get(URI.create(label.url())).stream()
                    .filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst();
        }

        String cookie(String name) {
            String value = cookieValue(name).orElseThrow(() -> new AssertionError("no cookie " + name));
            assertNotEquals("", value);
            return value;
        }
    }
}
