package dev.loupe.augment;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.TestAuth;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who may read a project's augmentation jobs, glyphs, policy and suggestions (its members), cut glyphs (annotators)
 * and change the policy or start jobs, previews and compositions (curators), against the real label service as the
 * issuer; the items the jobs make reach the label service with this service's own credential.
 */
@QuarkusTest
class AccessTest {

    private static final String PASSWORD = "a-long-enough-password";
    private static final Map<String, Object> ZOOM = Map.of("op", "zoom", "params", Map.of("factor", 1.1));

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    private static String project;
    private static String item;
    private static String job;
    private static String glyph;
    private static final Map<String, String> tokens = new HashMap<>();
    private static final Map<String, String> usernames = new HashMap<>();

    @BeforeEach
    void projectWithMembersAJobAndAGlyph() throws Exception {
        if (project != null) {
            return;
        }
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 1, 0.2, 0, 0, 41)).generate();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        String id = LoupeClient.importZip(labelUrl, "aug-access", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
        AugmentFlowTest.awaitTrue("import", () -> given().baseUri(labelUrl).queryParam("size", 1)
                .get("/api/projects/{id}/items", id).then().statusCode(200).extract().jsonPath().getLong("total") == 10);
        item = given().baseUri(labelUrl).queryParam("label", "i").queryParam("size", 1).get("/api/projects/{id}/items", id)
                .then().statusCode(200).extract().path("items[0].id");

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> roles = new LinkedHashMap<>();
        for (String role : List.of("viewer", "annotator", "curator")) {
            usernames.put(role, "aug-" + role + "-" + suffix);
            roles.put(usernames.get(role), role);
        }
        usernames.put("outsider", "aug-outsider-" + suffix);
        usernames.values().forEach(user -> TestAuth.createUser(labelUrl, user, PASSWORD));
        TestAuth.setMembers(labelUrl, id, roles);
        usernames.forEach((role, user) -> tokens.put(role, TestAuth.token(labelUrl, user, PASSWORD, null)));

        // as the administrator: one finished job and one glyph
        String started = given().contentType(ContentType.JSON).body(Map.of("itemIds", List.of(item), "ops", List.of(ZOOM), "seed", 1))
                .post("/api/projects/{id}/augmentations", id).then().statusCode(202).extract().path("jobId");
        assertEquals("COMPLETED", AugmentFlowTest.awaitJob(started).getString("status"));
        glyph = given().contentType(ContentType.JSON).body(Map.of("itemId", item, "symbol", "i"))
                .post("/api/glyphs").then().statusCode(201).extract().path("glyphId");
        job = started;
        project = id;
    }

    @Test
    void anonymousCallersAreAskedToSignIn() {
        int jobs = jobCount();
        given().header("Authorization", "").get("/api/projects/{id}/augment-policy", project).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "").get("/api/augmentations/{id}", job).then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "").contentType(ContentType.JSON)
                .body(Map.of("itemIds", List.of(item), "ops", List.of(ZOOM)))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(401);
        assertEquals(jobs, jobCount());
    }

    @Test
    void aNonMemberFindsNeitherTheProjectNorItsJobsGlyphsOrItems() {
        for (String path : List.of("/augment-policy", "/augment-suggestions", "/augmentations", "/glyphs")) {
            as("outsider").get("/api/projects/{id}" + path, project).then().statusCode(404)
                    .contentType("application/problem+json").body("detail", containsString(project));
        }
        as("outsider").contentType(ContentType.JSON).body(Map.of("itemIds", List.of(item), "ops", List.of(ZOOM)))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(404);
        as("outsider").contentType(ContentType.JSON).body(Map.of("glyphIds", List.of(glyph), "label", "i"))
                .post("/api/projects/{id}/compositions", project).then().statusCode(404);
        // things of the project answer as unknown ones do, without naming the project
        for (String path : List.of("/api/augmentations/{id}", "/api/augmentations/{id}/contact-sheet")) {
            as("outsider").get(path, job).then().statusCode(404).body("detail", equalTo("job " + job + " does not exist"));
        }
        as("outsider").post("/api/augmentations/{id}/retry", job).then().statusCode(404);
        for (String path : List.of("/api/glyphs/{id}", "/api/glyphs/{id}/image")) {
            as("outsider").get(path, glyph).then().statusCode(404).body("detail", equalTo("glyph " + glyph + " does not exist"));
        }
        as("outsider").delete("/api/glyphs/{id}", glyph).then().statusCode(404);
        as("outsider").contentType(ContentType.JSON).body(Map.of("itemId", item, "symbol", "i")).post("/api/glyphs")
                .then().statusCode(404).body("errors[0].field", equalTo("itemId"))
                .body("detail", equalTo("item " + item + " does not exist")).body("detail", not(containsString(project)));
        as("outsider").contentType(ContentType.JSON).body(Map.of("ops", List.of(ZOOM)))
                .post("/api/items/{id}/augment-preview", item).then().statusCode(404)
                .body("detail", equalTo("item " + item + " does not exist"));
        given().get("/api/glyphs/{id}", glyph).then().statusCode(200);
    }

    @Test
    void aViewerReadsEverythingAndChangesNothing() {
        int jobs = jobCount();
        String version = as("viewer").get("/api/projects/{id}/augment-policy", project).then().statusCode(200)
                .extract().header("ETag");
        as("viewer").get("/api/projects/{id}/augment-suggestions", project).then().statusCode(200)
                .body("projectId", equalTo(project));
        as("viewer").get("/api/projects/{id}/augmentations", project).then().statusCode(200).body("jobId", org.hamcrest.Matchers.hasItem(job));
        as("viewer").get("/api/augmentations/{id}", job).then().statusCode(200).body("done", equalTo(1));
        as("viewer").get("/api/augmentations/{id}/contact-sheet", job).then().statusCode(200).contentType("image/png");
        as("viewer").get("/api/projects/{id}/glyphs", project).then().statusCode(200).body("glyphId", org.hamcrest.Matchers.hasItem(glyph));
        as("viewer").get("/api/glyphs/{id}", glyph).then().statusCode(200).body("symbol", equalTo("i"));
        as("viewer").get("/api/glyphs/{id}/image", glyph).then().statusCode(200).contentType("image/png");

        Map<String, Object> policy = as("viewer").get("/api/projects/{id}/augment-policy", project).then().extract()
                .jsonPath().getMap("$");
        as("viewer").contentType(ContentType.JSON).header("If-Match", version).body(policy)
                .put("/api/projects/{id}/augment-policy", project).then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("curator"));
        as("viewer").contentType(ContentType.JSON).body(Map.of("itemIds", List.of(item), "ops", List.of(ZOOM)))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(403);
        as("viewer").contentType(ContentType.JSON).body(Map.of("label", "i", "count", 1))
                .post("/api/projects/{id}/recipes", project).then().statusCode(403);
        as("viewer").post("/api/augmentations/{id}/retry", job).then().statusCode(403);
        as("viewer").contentType(ContentType.JSON).body(Map.of("ops", List.of(ZOOM)))
                .post("/api/items/{id}/augment-preview", item).then().statusCode(403);
        as("viewer").contentType(ContentType.JSON).body(Map.of("glyphIds", List.of(glyph), "label", "i"))
                .post("/api/projects/{id}/compositions", project).then().statusCode(403);
        as("viewer").contentType(ContentType.JSON).body(Map.of("itemId", item, "symbol", "i")).post("/api/glyphs")
                .then().statusCode(403).body("detail", containsString("annotator"));
        as("viewer").contentType(ContentType.JSON).body(Map.of("itemId", item)).post("/api/glyphs/split")
                .then().statusCode(403);
        as("viewer").delete("/api/glyphs/{id}", glyph).then().statusCode(403);

        given().get("/api/projects/{id}/augment-policy", project).then().header("ETag", version);
        given().get("/api/glyphs/{id}", glyph).then().statusCode(200);
        assertEquals(jobs, jobCount());
    }

    @Test
    void anAnnotatorCutsAndDeletesGlyphsButStartsNoJobs() {
        int jobs = jobCount();
        JsonPath cut = as("annotator").contentType(ContentType.JSON).body(Map.of("itemId", item, "symbol", "i"))
                .header("Loupe-User", "someone-else").post("/api/glyphs").then().statusCode(201).extract().jsonPath();
        assertEquals(usernames.get("annotator"), cut.getString("createdBy"));
        as("annotator").delete("/api/glyphs/{id}", cut.getString("glyphId")).then().statusCode(204);
        as("annotator").get("/api/glyphs/{id}", cut.getString("glyphId")).then().statusCode(404);

        as("annotator").contentType(ContentType.JSON).body(Map.of("itemIds", List.of(item), "ops", List.of(ZOOM)))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(403)
                .body("detail", containsString("curator"));
        as("annotator").contentType(ContentType.JSON).body(Map.of("ops", List.of(ZOOM)))
                .post("/api/items/{id}/augment-preview", item).then().statusCode(403);
        assertEquals(jobs, jobCount());
    }

    @Test
    void aCuratorChangesThePolicyAndStartsJobsPreviewsAndCompositions() throws Exception {
        as("curator").contentType(ContentType.JSON).body(Map.of("ops", List.of(ZOOM), "copies", 1, "seed", 3))
                .post("/api/items/{id}/augment-preview", item).then().statusCode(200).contentType("image/png");
        as("curator").contentType(ContentType.JSON).body(Map.of("glyphIds", List.of(glyph), "label", "i", "seed", 4))
                .post("/api/projects/{id}/compositions", project).then().statusCode(201)
                .body("projectId", equalTo(project));
        as("curator").post("/api/augmentations/{id}/retry", job).then().statusCode(202);
        AugmentFlowTest.awaitJob(job);

        String started = as("curator").contentType(ContentType.JSON)
                .body(Map.of("itemIds", List.of(item), "ops", List.of(ZOOM), "seed", 2))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(202).extract().path("jobId");
        JsonPath done = AugmentFlowTest.awaitJob(started);
        assertEquals("COMPLETED", done.getString("status"));
        assertEquals(usernames.get("curator"), done.getString("createdBy"));
        // the new item reached the label service with this service's own credential
        given().baseUri(labelUrl).get("/api/items/{id}", done.getString("createdItemIds[0]")).then().statusCode(200)
                .body("projectId", equalTo(project)).body("source", equalTo("augmented"));

        var current = as("curator").get("/api/projects/{id}/augment-policy", project).then().statusCode(200).extract();
        long version = Long.parseLong(current.header("ETag").replace("\"", ""));
        as("curator").contentType(ContentType.JSON).header("If-Match", current.header("ETag"))
                .body(current.jsonPath().getMap("$")).put("/api/projects/{id}/augment-policy", project).then()
                .statusCode(200).header("ETag", "\"" + (version + 1) + "\"");
    }

    @Test
    void aRevokedApiTokenStopsWorking() throws Exception {
        var session = TestAuth.signIn(labelUrl, usernames.get("viewer"), PASSWORD);
        JsonPath created = session.spec().contentType(ContentType.JSON).body(Map.of("name", "soon-revoked"))
                .post("/api/auth/tokens").then().statusCode(201).extract().jsonPath();
        String token = created.getString("token");
        given().header("Authorization", "Bearer " + token).get("/api/augmentations/{id}", job).then().statusCode(200);

        session.spec().delete("/api/auth/tokens/{id}", created.getString("id")).then().statusCode(204);
        // the label service's access event evicts the cached grant (at the latest the cache's time to live does)
        Instant deadline = Instant.now().plus(Duration.ofSeconds(45));
        int status;
        while ((status = given().header("Authorization", "Bearer " + token).get("/api/augmentations/{id}", job)
                .statusCode()) == 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertEquals(401, status);
        given().header("Authorization", "Bearer " + token).get("/api/augmentations/{id}", job).then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("revoked"));
    }

    private RequestSpecification as(String who) {
        return given().header("Authorization", "Bearer " + tokens.get(who));
    }

    private int jobCount() {
        return given().get("/api/projects/{id}/augmentations", project).then().statusCode(200).extract()
                .jsonPath().getList("$").size();
    }
}
