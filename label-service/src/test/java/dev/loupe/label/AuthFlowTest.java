package dev.loupe.label;

import dev.loupe.testing.TestAuth;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signing in, sessions with CSRF, API tokens, members and what each user sees; the audit trail names the signed-in user. */
@QuarkusTest
class AuthFlowTest {

    private static String url() {
        return "http://localhost:" + RestAssured.port;
    }

    private static String newUser(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        TestAuth.createUser(url(), name, "password-of-" + name);
        return name;
    }

    @Test
    void nothingAnswersWithoutACredential() {
        given().header("Authorization", "").get("/api/projects").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
        given().header("Authorization", "Bearer not-a-token").get("/api/projects").then().statusCode(401);
        given().header("Authorization", "Basic YWRtaW46eA==").get("/api/projects").then().statusCode(401);
        // health, metrics and the page itself stay open
        given().header("Authorization", "").get("/q/health/ready").then().statusCode(200);
        given().header("Authorization", "").get("/signin.html").then().statusCode(200);
    }

    @Test
    void withOidcOffThePageOffersNoProviderAndItsLoginLeadsBackToTheSignInPage() {
        given().header("Authorization", "").get("/api/ui-config").then().statusCode(200).body("oidc", equalTo(false));
        Response login = given().header("Authorization", "").redirects().follow(false).get("/api/auth/oidc/login");
        assertEquals(303, login.statusCode());
        assertTrue(login.header("Location").contains("/signin.html?error="), login.header("Location"));
        assertTrue(login.headers().getValues("Set-Cookie").isEmpty(), "no session without a provider");
        // quarkus-oidc is on the classpath but does not touch Loupe's tokens
        given().get("/api/auth/me").then().statusCode(200).body("username", equalTo(TestAuth.ADMIN));
    }

    @Test
    void aSessionCookieWorksOnlyWithItsCsrfTokenForChanges() {
        String user = newUser("cookie");
        TestAuth.Session session = TestAuth.signIn(url(), user, "password-of-" + user);
        Response signIn = given().header("Authorization", "").contentType(ContentType.JSON)
                .body(Map.of("username", user, "password", "password-of-" + user)).post("/api/auth/session");
        String setCookie = String.join("\n", signIn.headers().getValues("Set-Cookie"));
        assertTrue(setCookie.contains("loupe_session=") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"),
                setCookie);
        session.spec().get("/api/auth/me").then().statusCode(200).body("username", equalTo(user));
        // a change with the cookie but without the CSRF header is refused
        given().header("Authorization", "").cookies(session.cookies()).contentType(ContentType.JSON)
                .body(Map.of("name", "t")).post("/api/auth/tokens").then().statusCode(403);
        session.spec().contentType(ContentType.JSON).body(Map.of("name", "t")).post("/api/auth/tokens").then().statusCode(201);
        // signing out ends the session everywhere
        session.spec().delete("/api/auth/session").then().statusCode(204);
        session.spec().get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void wrongPasswordsAreRefusedAlike() {
        String user = newUser("pw");
        Response wrong = given().header("Authorization", "").contentType(ContentType.JSON)
                .body(Map.of("username", user, "password", "wrong-password")).post("/api/auth/session");
        Response unknown = given().header("Authorization", "").contentType(ContentType.JSON)
                .body(Map.of("username", "nobody-" + UUID.randomUUID(), "password", "wrong-password")).post("/api/auth/session");
        assertEquals(401, wrong.statusCode());
        assertEquals(401, unknown.statusCode());
        assertEquals(wrong.<String>path("detail"), unknown.<String>path("detail"));
    }

    @Test
    void anApiTokenIsShownOnceStoredHashedAndStopsWorkingWhenRevoked() {
        String user = newUser("tok");
        TestAuth.Session session = TestAuth.signIn(url(), user, "password-of-" + user);
        Response created = session.spec().contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "role", "viewer", "expiresInDays", 30)).post("/api/auth/tokens");
        created.then().statusCode(201).body("role", equalTo("VIEWER"));
        String token = created.path("token");
        String id = created.path("id");
        given().header("Authorization", "Bearer " + token).get("/api/auth/me").then().statusCode(200)
                .body("tokenRole", equalTo("VIEWER"));
        session.spec().get("/api/auth/tokens").then().statusCode(200).body("token", everyItem(equalTo(null)));
        given().header("Authorization", "Bearer " + token).delete("/api/auth/tokens/{id}", id).then().statusCode(204);
        given().header("Authorization", "Bearer " + token).get("/api/auth/me").then().statusCode(401);
        // bad requests name the field
        session.spec().contentType(ContentType.JSON).body(Map.of("name", "x", "role", "owner")).post("/api/auth/tokens")
                .then().statusCode(422).body("errors.field", hasItem("role"));
        session.spec().contentType(ContentType.JSON).body(Map.of("name", "x", "expiresInDays", 100000))
                .post("/api/auth/tokens").then().statusCode(422).body("errors.field", hasItem("expiresInDays"));
    }

    @Test
    void aTokenCappedAtViewerCannotChangeEvenForAnAdmin() {
        String project = LabelApi.createProject();
        String item = LabelApi.addItem(project, "i").getString("id");
        String viewerToken = TestAuth.token(url(), TestAuth.ADMIN, TestAuth.ADMIN_PASSWORD, "viewer");
        given().header("Authorization", "Bearer " + viewerToken).get("/api/items/{id}", item).then().statusCode(200);
        given().header("Authorization", "Bearer " + viewerToken).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("label", "ii")).put("/api/items/{id}/label", item).then().statusCode(403);
    }

    @Test
    void usersSeeOnlyTheirProjectsAndTheHistoryNamesTheSignedInUser() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String aliceProject = LabelApi.createProject();
        String bobProject = LabelApi.createProject();
        TestAuth.setMembers(url(), aliceProject, Map.of(alice, "annotator"));
        TestAuth.setMembers(url(), bobProject, Map.of(bob, "viewer"));
        String aliceToken = TestAuth.token(url(), alice, "password-of-" + alice, null);
        String bobToken = TestAuth.token(url(), bob, "password-of-" + bob, null);
        String aliceItem = LabelApi.addItem(aliceProject, "i").getString("id");

        List<String> aliceSees = given().header("Authorization", "Bearer " + aliceToken).get("/api/projects")
                .then().statusCode(200).extract().path("id");
        assertEquals(List.of(aliceProject), aliceSees);
        // bob does not learn that alice's project or item exists
        given().header("Authorization", "Bearer " + bobToken).get("/api/projects/{id}", aliceProject).then().statusCode(404);
        given().header("Authorization", "Bearer " + bobToken).get("/api/items/{id}", aliceItem).then().statusCode(404)
                .body("detail", not(org.hamcrest.Matchers.containsString(aliceProject)));
        given().header("Authorization", "Bearer " + bobToken).get("/api/items/{id}/image", aliceItem).then().statusCode(404);
        given().header("Authorization", "Bearer " + bobToken).get("/api/projects/{id}/items", aliceProject).then().statusCode(404);

        // alice relabels; Loupe-User is ignored (no trusted proxy): the history names alice
        given().header("Authorization", "Bearer " + aliceToken).header("Loupe-User", "mallory").header("If-Match", "\"1\"")
                .contentType(ContentType.JSON).body(Map.of("label", "ii", "reason", "looks like ii"))
                .put("/api/items/{id}/label", aliceItem).then().statusCode(200);
        List<String> by = given().get("/api/items/{id}/history", aliceItem).then().statusCode(200).extract().path("by");
        assertEquals(alice, by.getLast());
        assertFalse(by.contains("mallory"));

        // a membership change takes effect at once
        TestAuth.setMembers(url(), aliceProject, Map.of(alice, "viewer"));
        given().header("Authorization", "Bearer " + aliceToken).header("If-Match", "\"2\"").contentType(ContentType.JSON)
                .body(Map.of("label", "iii")).put("/api/items/{id}/label", aliceItem).then().statusCode(403);
    }

    @Test
    void membersNeedAnAdminAndExistingAccounts() {
        String project = LabelApi.createProject();
        given().contentType(ContentType.JSON).body(List.of(Map.of("username", "no-such-user-" + UUID.randomUUID(), "role", "viewer"),
                        Map.of("username", TestAuth.ADMIN, "role", "owner")))
                .put("/api/projects/{id}/members", project).then().statusCode(422)
                .body("errors.field", hasItem("[0].username")).body("errors.field", hasItem("[1].role"));
        given().contentType(ContentType.JSON).body(List.of(Map.of("username", TestAuth.ADMIN, "role", "viewer")))
                .put("/api/projects/{id}/members", project).then().statusCode(422).body("errors.field", hasItem("body"));
        given().get("/api/projects/{id}/members", project).then().statusCode(200).body("username", hasItem(TestAuth.ADMIN));
    }

    @Test
    void theJwksIsPublicAndServicesGetShortTokensForTheirSecretOnly() {
        String jwks = given().header("Authorization", "").get("/api/auth/jwks").then().statusCode(200).extract().asString();
        assertTrue(jwks.contains("\"kty\":\"RSA\"") && !jwks.contains("\"d\":"), "public keys only: " + jwks);
        assertNotNull(TestAuth.serviceToken(url(), "dataset"));
        given().header("Authorization", "").contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", "dataset").formParam("client_secret", "wrong")
                .post("/api/auth/token").then().statusCode(401);
        given().header("Authorization", "").contentType(ContentType.URLENC).formParam("grant_type", "password")
                .post("/api/auth/token").then().statusCode(400);
        // a service token is not a user: it cannot use user-only operations
        given().header("Authorization", "Bearer " + TestAuth.serviceToken(url(), "dataset")).contentType(ContentType.JSON)
                .body(Map.of("name", "x")).post("/api/auth/tokens").then().statusCode(403);
    }
}
