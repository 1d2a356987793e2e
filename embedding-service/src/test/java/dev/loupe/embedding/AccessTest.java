package dev.loupe.embedding;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.TestAuth;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who may read a project's embeddings, map and findings (its members), who may withdraw model predictions (its
 * admins) and who may hand them over (the trainer service only), against the real label service as the issuer.
 */
@QuarkusTest
class AccessTest {

    private static final String PASSWORD = "a-long-enough-password";

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    private static String project;
    private static String item;
    private static final Map<String, String> tokens = new java.util.HashMap<>();

    @BeforeEach
    void projectWithMembers() throws IOException {
        if (project != null) {
            return;
        }
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 3, 0.25, 0, 0, 31)).generate();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        String id = LoupeClient.importZip(labelUrl, "emb-access", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> roles = new java.util.LinkedHashMap<>();
        for (String role : List.of("viewer", "curator", "admin")) {
            roles.put("emb-" + role + "-" + suffix, role);
        }
        String outsider = "emb-outsider-" + suffix;
        for (String user : roles.keySet()) {
            TestAuth.createUser(labelUrl, user, PASSWORD);
        }
        TestAuth.createUser(labelUrl, outsider, PASSWORD);
        TestAuth.setMembers(labelUrl, id, roles);
        roles.forEach((user, role) -> tokens.put(role, TestAuth.token(labelUrl, user, PASSWORD, null)));
        tokens.put("outsider", TestAuth.token(labelUrl, outsider, PASSWORD, null));

        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (given().get("/api/projects/{id}/embeddings/status", id).then().statusCode(200).extract()
                .jsonPath().getLong("embedded") < 30) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the project's 30 items were never embedded");
            }
            sleep(200);
        }
        item = given().get("/api/projects/{id}/map", id).then().statusCode(200).extract().path("itemIds[0]");
        project = id;
    }

    @Test
    void anonymousCallersAreAskedToSignIn() {
        given().header("Authorization", "").get("/api/projects/{id}/map", project).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "").get("/api/items/{id}/neighbors", item).then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer not-a-token").get("/api/projects/{id}/findings", project).then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aNonMemberFindsNeitherTheProjectNorItsItems() {
        for (String path : List.of("/embeddings/status", "/map", "/findings", "/clusters", "/model-predictions")) {
            as("outsider").get("/api/projects/{id}" + path, project).then().statusCode(404)
                    .contentType("application/problem+json").body("detail", containsString(project));
        }
        // the item is as unknown as a made-up one, and its project is not named
        as("outsider").get("/api/items/{id}/neighbors", item).then().statusCode(404)
                .body("detail", containsString(item)).body("detail", not(containsString(project)));
        as("outsider").delete("/api/projects/{id}/model-predictions", project).then().statusCode(404);
    }

    @Test
    void aViewerReadsEverythingButMayNotWithdrawModelPredictions() {
        as("viewer").get("/api/projects/{id}/embeddings/status", project).then().statusCode(200)
                .body("embedded", equalTo(30));
        assertEquals(30, as("viewer").get("/api/projects/{id}/map", project).then().statusCode(200).extract()
                .jsonPath().getList("itemIds").size());
        as("viewer").queryParam("type", "duplicate").get("/api/projects/{id}/findings", project).then().statusCode(200)
                .body("projectId", equalTo(project));
        assertEquals(30, as("viewer").get("/api/projects/{id}/clusters", project).then().statusCode(200).extract()
                .jsonPath().getList("$").size());
        assertEquals(3, as("viewer").queryParam("k", 3).get("/api/items/{id}/neighbors", item).then().statusCode(200)
                .extract().jsonPath().getList("itemId").size());

        putPredictions("trainer").then().statusCode(200).body("items", equalTo(30));
        as("viewer").get("/api/projects/{id}/model-predictions", project).then().statusCode(200)
                .body("items", equalTo(30));
        as("viewer").delete("/api/projects/{id}/model-predictions", project).then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("admin"));
        as("curator").delete("/api/projects/{id}/model-predictions", project).then().statusCode(403);
        as("viewer").get("/api/projects/{id}/model-predictions", project).then().statusCode(200);
        as("admin").delete("/api/projects/{id}/model-predictions", project).then().statusCode(204);
        as("viewer").get("/api/projects/{id}/model-predictions", project).then().statusCode(404);
    }

    @Test
    void onlyTheTrainerServiceHandsOverModelPredictions() {
        // not a project admin, not a Loupe administrator, not another service: nothing is stored
        as("admin").contentType(ContentType.JSON).body(predictionSet()).put("/api/projects/{id}/model-predictions", project)
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("trainer"));
        given().contentType(ContentType.JSON).body(predictionSet()).put("/api/projects/{id}/model-predictions", project)
                .then().statusCode(403);
        putPredictions("dataset").then().statusCode(403);
        given().get("/api/projects/{id}/model-predictions", project).then().statusCode(404);

        putPredictions("trainer").then().statusCode(200).body("items", equalTo(30));
        given().get("/api/projects/{id}/model-predictions", project).then().statusCode(200).body("items", equalTo(30));
        given().delete("/api/projects/{id}/model-predictions", project).then().statusCode(204);
    }

    @Test
    void aRevokedApiTokenStopsWorking() {
        var session = TestAuth.signIn(labelUrl, usernameOf("viewer"), PASSWORD);
        JsonPath created = session.spec().contentType(ContentType.JSON).body(Map.of("name", "soon-revoked"))
                .post("/api/auth/tokens").then().statusCode(201).extract().jsonPath();
        String token = created.getString("token");
        given().header("Authorization", "Bearer " + token).get("/api/projects/{id}/map", project).then().statusCode(200);

        session.spec().delete("/api/auth/tokens/{id}", created.getString("id")).then().statusCode(204);
        // the label service's access event evicts the cached grant (at the latest the cache's time to live does)
        Instant deadline = Instant.now().plus(Duration.ofSeconds(45));
        int status;
        while ((status = given().header("Authorization", "Bearer " + token).get("/api/projects/{id}/map", project)
                .statusCode()) == 200 && Instant.now().isBefore(deadline)) {
            sleep(200);
        }
        assertEquals(401, status);
        given().header("Authorization", "Bearer " + token).get("/api/projects/{id}/map", project).then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("revoked"));
    }

    private io.restassured.specification.RequestSpecification as(String who) {
        return given().header("Authorization", "Bearer " + tokens.get(who));
    }

    private Response putPredictions(String service) {
        return given().header("Authorization", ServiceTokens.bearer(labelUrl, service)).contentType(ContentType.JSON)
                .body(predictionSet()).put("/api/projects/{id}/model-predictions", project);
    }

    /** Uniform probabilities for every item of the project. */
    private Map<String, Object> predictionSet() {
        List<String> ids = given().get("/api/projects/{id}/map", project).then().statusCode(200).extract()
                .jsonPath().getList("itemIds");
        List<String> classes = SyntheticSpec.ROMAN_I_TO_X;
        float[] uniform = new float[classes.size()];
        Arrays.fill(uniform, 1f / classes.size());
        List<Map<String, Object>> items = new ArrayList<>();
        ids.forEach(id -> items.add(Map.of("itemId", id, "probabilities", uniform)));
        return Map.of("versionId", UUID.randomUUID(), "evaluationId", UUID.randomUUID(), "model", "access-test",
                "classes", classes, "items", items);
    }

    private String usernameOf(String role) {
        return given().header("Authorization", "Bearer " + tokens.get(role)).baseUri(labelUrl).get("/api/auth/me")
                .then().statusCode(200).extract().path("username");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
