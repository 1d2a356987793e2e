package dev.loupe.dataset;

import dev.loupe.events.EventType;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.TestAuth;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipInputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what at the dataset service, against the real label service as issuer: every request needs a
 * credential, a project's split, versions and evaluations exist only for its members, writes need the curator role,
 * webhooks (reads too) the admin role of their project, webhooks of every project a Loupe administrator.
 */
@QuarkusTest
class AccessTest {

    private static final String PASSWORD = "access-test-password";
    private static final String WEBHOOK_SECRET = "access-test-secret-0123456789";

    /** One project with a version, its members and their tokens; made once for this class. */
    private record Fixture(String project, String version, String suffix, Map<String, String> tokens) {
        String token(String who) {
            return tokens.get(who);
        }

        String name(String who) {
            return who + "-" + suffix;
        }
    }

    private static Fixture fixture;

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @BeforeEach
    void project() throws Exception {
        if (fixture != null) {
            return;
        }
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(List.of("i", "ii"), 10, 0.2, 0, 0, 77)).generate();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        String project = LoupeClient.importZip(labelUrl, "access", List.of("i", "ii"), zip.toByteArray());
        awaitSplitOf(project, 20);
        String version = given().contentType(ContentType.JSON).body(Map.of("name", "access-v1"))
                .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("versionId");

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> roles = Map.of("viewer", "viewer", "annotator", "annotator", "curator", "curator",
                "padmin", "admin");
        Map<String, String> members = new java.util.HashMap<>();
        Map<String, String> tokens = new java.util.HashMap<>();
        for (String who : List.of("viewer", "annotator", "curator", "padmin", "outsider")) {
            String name = who + "-" + suffix;
            TestAuth.createUser(labelUrl, name, PASSWORD);
            if (roles.containsKey(who)) {
                members.put(name, roles.get(who));
            }
        }
        TestAuth.setMembers(labelUrl, project, members);
        for (String who : List.of("viewer", "annotator", "curator", "padmin", "outsider")) {
            tokens.put(who, TestAuth.token(labelUrl, who + "-" + suffix, PASSWORD, null));
        }
        fixture = new Fixture(project, version, suffix, tokens);
    }

    @Test
    void withoutACredentialEverythingIs401ProblemJson() {
        Fixture f = fixture;
        for (String path : List.of("/api/projects/" + f.project() + "/split", "/api/projects/" + f.project() + "/versions",
                "/api/versions/" + f.version(), "/api/versions/" + f.version() + "/export?format=csv",
                "/api/versions/" + f.version() + "/evaluations", "/api/webhooks")) {
            given().header("Authorization", "").get(path).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        }
        given().header("Authorization", "Bearer not-a-loupe-token").get("/api/projects/{id}/split", f.project())
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "").contentType(ContentType.JSON).body(Map.of("name", "anonymous"))
                .post("/api/projects/{id}/versions", f.project()).then().statusCode(401);
        // nothing was created
        given().get("/api/projects/{id}/versions", f.project()).then().statusCode(200)
                .body("name", not(hasItem("anonymous")));
    }

    @Test
    void aNonMemberFindsNothingOfTheProject() {
        Fixture f = fixture;
        for (String path : List.of("/split", "/split/items", "/split/config", "/versions")) {
            as(f.token("outsider")).get("/api/projects/" + f.project() + path).then().statusCode(404)
                    .contentType("application/problem+json").body("detail", containsString("project"));
        }
        for (String path : List.of("", "/items", "/export?format=csv", "/evaluations", "/diff?against=" + f.version())) {
            as(f.token("outsider")).get("/api/versions/" + f.version() + path).then().statusCode(404)
                    .contentType("application/problem+json")
                    // the same answer as for an unknown version: the project is not named
                    .body("detail", containsString(f.version())).body("detail", not(containsString(f.project())));
        }
        as(f.token("outsider")).contentType(ContentType.JSON).body(Map.of("name", "outsider")).post("/api/projects/{id}/versions", f.project())
                .then().statusCode(404);
        as(f.token("outsider")).contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("strategy", "stratified"))
                .put("/api/projects/{id}/split/config", f.project()).then().statusCode(404);
        as(f.token("outsider")).contentType(ContentType.JSON).body("{}").post("/api/versions/{v}/evaluations", f.version())
                .then().statusCode(404);
        given().get("/api/projects/{id}/versions", f.project()).then().statusCode(200)
                .body("name", not(hasItem("outsider")));
    }

    @Test
    void aViewerReadsEverythingButChangesNothing() throws IOException {
        Fixture f = fixture;
        as(f.token("viewer")).get("/api/projects/{id}/split", f.project()).then().statusCode(200)
                .body("projectId", equalTo(f.project()));
        as(f.token("viewer")).get("/api/projects/{id}/split/items", f.project()).then().statusCode(200)
                .body("total", equalTo(20));
        String etag = as(f.token("viewer")).get("/api/projects/{id}/split/config", f.project()).then().statusCode(200)
                .extract().header("ETag");
        as(f.token("viewer")).get("/api/projects/{id}/versions", f.project()).then().statusCode(200)
                .body("versionId", hasItem(f.version()));
        as(f.token("viewer")).get("/api/versions/{v}", f.version()).then().statusCode(200).body("name", equalTo("access-v1"));
        as(f.token("viewer")).get("/api/versions/{v}/items", f.version()).then().statusCode(200)
                .body("size()", equalTo(20));
        // the export reads the images from the label service with this service's own credential
        byte[] zip = as(f.token("viewer")).queryParam("format", "imagefolder").get("/api/versions/{v}/export", f.version())
                .then().statusCode(200).contentType("application/zip").extract().asByteArray();
        assertEquals(21, entries(zip), "manifest.csv and 20 images");
        as(f.token("viewer")).queryParam("against", f.version()).get("/api/versions/{v}/diff", f.version())
                .then().statusCode(200).body("added.size()", equalTo(0));
        as(f.token("viewer")).get("/api/versions/{v}/evaluations", f.version()).then().statusCode(200);

        as(f.token("viewer")).contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("strategy", "stratified", "valFraction", 0.5, "seed", 3))
                .put("/api/projects/{id}/split/config", f.project()).then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("curator"));
        as(f.token("viewer")).contentType(ContentType.JSON).body(Map.of("name", "by-viewer"))
                .post("/api/projects/{id}/versions", f.project()).then().statusCode(403);
        as(f.token("viewer")).contentType(ContentType.JSON).body("{}")
                .post("/api/versions/{v}/evaluations", f.version()).then().statusCode(403);
        // nothing changed
        given().get("/api/projects/{id}/split/config", f.project()).then().header("ETag", etag);
        given().get("/api/projects/{id}/versions", f.project()).then()
                .body("name", not(hasItem("by-viewer")));
    }

    @Test
    void anAnnotatorIsNoCuratorAndACuratorVersionsEvaluatesAndIsTheActor() {
        Fixture f = fixture;
        String etag = given().get("/api/projects/{id}/split/config", f.project()).then().extract().header("ETag");
        Map<String, Object> sameConfig = given().get("/api/projects/{id}/split/config", f.project()).then().extract()
                .jsonPath().getMap("$");
        as(f.token("annotator")).contentType(ContentType.JSON).header("If-Match", etag).body(sameConfig)
                .put("/api/projects/{id}/split/config", f.project()).then().statusCode(403)
                .body("detail", containsString("annotator"));
        as(f.token("annotator")).contentType(ContentType.JSON).body(Map.of("name", "by-annotator"))
                .post("/api/projects/{id}/versions", f.project()).then().statusCode(403);

        as(f.token("curator")).contentType(ContentType.JSON).header("If-Match", etag).body(sameConfig)
                .put("/api/projects/{id}/split/config", f.project()).then().statusCode(200);
        String version = as(f.token("curator")).contentType(ContentType.JSON).body(Map.of("name", "by-curator"))
                .header("Loupe-User", "someone-else") // honoured only from a trusted proxy
                .post("/api/projects/{id}/versions", f.project()).then().statusCode(201)
                .body("createdBy", equalTo(f.name("curator"))).extract().path("versionId");
        as(f.token("curator")).contentType(ContentType.JSON).body(Map.of("epochs", 1))
                .post("/api/versions/{v}/evaluations", version).then().statusCode(202)
                .body("requestedBy", equalTo(f.name("curator")));
        // webhooks are for admins
        as(f.token("curator")).contentType(ContentType.JSON).body(webhook(f.project()))
                .post("/api/webhooks").then().statusCode(403);
    }

    @Test
    void webhooksBelongToTheAdminsOfTheirProjectAndWebhooksOfAllProjectsToLoupeAdministrators() {
        Fixture f = fixture;
        String own = as(f.token("padmin")).contentType(ContentType.JSON).body(webhook(f.project())).post("/api/webhooks").then()
                .statusCode(201).body("createdBy", equalTo(f.name("padmin"))).extract().path("id");
        as(f.token("padmin")).contentType(ContentType.JSON).body(webhook(null)).post("/api/webhooks").then()
                .statusCode(403).contentType("application/problem+json");
        UUID elsewhere = UUID.randomUUID();
        as(f.token("padmin")).contentType(ContentType.JSON).body(webhook(elsewhere.toString())).post("/api/webhooks")
                .then().statusCode(404).body("detail", containsString("project"));

        // the Loupe administrator's webhooks: one for every project, one for another project
        String global = given().contentType(ContentType.JSON).body(webhook(null)).post("/api/webhooks").then()
                .statusCode(201).extract().path("id");
        String other = given().contentType(ContentType.JSON).body(webhook(elsewhere.toString())).post("/api/webhooks")
                .then().statusCode(201).extract().path("id");
        try {
            List<String> seen = as(f.token("padmin")).get("/api/webhooks").then().statusCode(200).extract().path("id");
            assertTrue(seen.contains(own), seen.toString());
            assertFalse(seen.contains(global) || seen.contains(other), seen.toString());
            List<String> all = given().get("/api/webhooks").then().statusCode(200).extract().path("id");
            assertTrue(all.containsAll(List.of(own, global, other)), all.toString());
            for (String who : List.of("viewer", "curator", "outsider")) {
                List<String> none = as(f.token(who)).get("/api/webhooks").then().statusCode(200).extract().path("id");
                assertFalse(none.contains(own) || none.contains(global) || none.contains(other), who + ": " + none);
            }

            as(f.token("padmin")).get("/api/webhooks/{id}", own).then().statusCode(200).body("projectId", equalTo(f.project()));
            as(f.token("padmin")).get("/api/webhooks/{id}/deliveries", own).then().statusCode(200);
            as(f.token("padmin")).get("/api/webhooks/{id}", other).then().statusCode(404)
                    .body("detail", not(containsString(elsewhere.toString())));
            as(f.token("padmin")).get("/api/webhooks/{id}", global).then().statusCode(403);
            as(f.token("padmin")).delete("/api/webhooks/{id}", global).then().statusCode(403);
            // a member below admin may not even read it (it shows where events go); a non-member finds nothing
            as(f.token("viewer")).get("/api/webhooks/{id}", own).then().statusCode(403);
            as(f.token("curator")).get("/api/webhooks/{id}/deliveries", own).then().statusCode(403);
            as(f.token("curator")).delete("/api/webhooks/{id}", own).then().statusCode(403);
            as(f.token("outsider")).get("/api/webhooks/{id}", own).then().statusCode(404);
            as(f.token("outsider")).delete("/api/webhooks/{id}", own).then().statusCode(404);
            given().get("/api/webhooks/{id}", own).then().statusCode(200);

            as(f.token("padmin")).delete("/api/webhooks/{id}", own).then().statusCode(204);
            given().get("/api/webhooks/{id}", own).then().statusCode(404);
        } finally {
            given().delete("/api/webhooks/{id}", global);
            given().delete("/api/webhooks/{id}", other);
        }
        given().get("/api/webhooks/{id}", global).then().statusCode(404);
    }

    @Test
    void aRevokedTokenStopsWorking() throws InterruptedException {
        Fixture f = fixture;
        Response created = TestAuth.signIn(labelUrl, f.name("viewer"), PASSWORD).spec().contentType(ContentType.JSON)
                .body(Map.of("name", "soon-revoked")).post("/api/auth/tokens");
        created.then().statusCode(201);
        String token = created.path("token");
        as(token).get("/api/projects/{id}/split", f.project()).then().statusCode(200);

        given().baseUri(labelUrl).delete("/api/auth/tokens/{id}", created.<String>path("id")).then().statusCode(204);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        int status = 200;
        while (status != 401 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            status = as(token).get("/api/projects/{id}/split", f.project()).statusCode();
        }
        assertEquals(401, status, "a revoked token is refused");
        as(token).get("/api/projects/{id}/split", f.project()).then().contentType("application/problem+json")
                .body("detail", containsString("revoked"));
        // the others' tokens still work
        as(f.token("viewer")).get("/api/projects/{id}/split", f.project()).then().statusCode(200);
    }

    // --- helpers

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static int entries(byte[] zip) throws IOException {
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            while (in.getNextEntry() != null) {
                in.readAllBytes();
                entries++;
            }
        }
        return entries;
    }

    private static Map<String, Object> webhook(String projectId) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("url", "http://127.0.0.1:9/access-test",
                "events", List.of(EventType.DATASET_VERSION_PUBLISHED.wireName()), "secret", WEBHOOK_SECRET));
        if (projectId != null) {
            body.put("projectId", projectId);
        }
        return body;
    }

    static void awaitSplitOf(String project, int items) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            var response = given().get("/api/projects/{id}/split", project);
            if (response.statusCode() == 200 && total(response) == items) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the split of " + project + " never held " + items + " items");
    }

    private static int total(Response split) {
        int total = 0;
        for (String side : List.of("train", "val")) {
            Map<String, Integer> counts = split.jsonPath().getMap("counts." + side);
            total += counts == null ? 0 : counts.values().stream().mapToInt(Integer::intValue).sum();
        }
        return total;
    }
}
