package dev.loupe.embedding;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.AuthorizationMatrix;
import dev.loupe.testing.AuthorizationMatrix.Need;
import dev.loupe.testing.LoupeClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;

import static io.restassured.RestAssured.given;

/** Every operation of the embedding service, as anonymous, a revoked token, a non-member and each role (generated from /q/openapi). */
@QuarkusTest
class AuthorizationMatrixTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Test
    void everyOperationAnswersEachCallerAsItsRuleSays() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 2, 0.25, 0, 0, 41)).generate(), zip);
        String project = LoupeClient.importZip(labelUrl, "emb-matrix", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (given().get("/api/projects/{id}/embeddings/status", project).then().statusCode(200).extract()
                .jsonPath().getLong("embedded") < 20) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the project's 20 items were never embedded");
            }
            Thread.sleep(200);
        }
        java.util.List<String> ids = given().get("/api/projects/{id}/map", project).then().statusCode(200).extract()
                .jsonPath().getList("itemIds");
        String item = ids.getFirst();
        // model predictions exist (handed over by the trainer), so reading them is a 200 for whoever may
        float[] uniform = new float[SyntheticSpec.ROMAN_I_TO_X.size()];
        java.util.Arrays.fill(uniform, 0.1f);
        given().header("Authorization", "Bearer " + dev.loupe.testing.TestAuth.serviceToken(labelUrl, "trainer"))
                .contentType("application/json")
                .body(java.util.Map.of("versionId", java.util.UUID.randomUUID(), "evaluationId", java.util.UUID.randomUUID(),
                        "model", "matrix", "classes", SyntheticSpec.ROMAN_I_TO_X,
                        "items", ids.stream().map(id -> java.util.Map.of("itemId", id, "probabilities", uniform)).toList()))
                .put("/api/projects/{id}/model-predictions", project).then().statusCode(200);
        AuthorizationMatrix.of("http://localhost:" + RestAssured.port, labelUrl)
                .rule("GET /api/items/{id}/neighbors", Need.VIEWER)
                .rule("GET /api/projects/{id}/clusters", Need.VIEWER)
                .rule("GET /api/projects/{id}/embeddings/status", Need.VIEWER)
                .rule("GET /api/projects/{id}/findings", Need.VIEWER)
                .rule("GET /api/projects/{id}/map", Need.VIEWER)
                .rule("GET /api/projects/{id}/model-predictions", Need.VIEWER)
                .rule("PUT /api/projects/{id}/model-predictions", Need.SERVICE)
                .rule("DELETE /api/projects/{id}/model-predictions", Need.ADMIN)
                .rule("GET /api/projects/{id}/review-queue", Need.VIEWER)
                .rule("POST /api/projects/{id}/reviews", Need.ANNOTATOR)
                .rule("GET /api/projects/{id}/review-settings", Need.VIEWER)
                .rule("PUT /api/projects/{id}/review-settings", Need.CURATOR)
                .rule("GET /api/projects/{id}/review-disagreements", Need.VIEWER)
                .rule("GET /api/projects/{id}/review-agreement", Need.VIEWER)
                .pathFor("/api/projects/{id}", "id", project)
                .pathFor("/api/items/{id}", "id", item)
                .verify(project);
    }
}
