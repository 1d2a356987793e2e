package dev.loupe.embedding;

import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.OpenApiFuzz;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;

/** Malformed requests to every operation of the committed OpenAPI document answer 4xx problem+json, change nothing. */
@QuarkusTest
class EmbeddingApiFuzzTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Test
    void malformedRequestsToEveryOperationAreRejectedAndChangeNothing() throws InterruptedException {
        String project = LoupeClient.createProject(labelUrl, "fuzz", List.of("i", "ii"));
        String item = LoupeClient.addImage(labelUrl, project, "i");
        awaitEmbedded(project);
        OpenApiFuzz.ofCommittedDocument()
                .realId("/api/projects/{id}", project)
                .realId("/api/items/{id}", item)
                .numericQueryParams("k", "limit")
                .snapshot("/api/projects/{id}/embeddings/status")
                .snapshot("/api/projects/{id}/model-predictions")
                .snapshot("/api/projects/{id}/clusters")
                .snapshot("/api/projects/{id}/review-settings")
                .snapshot("/api/projects/{id}/review-agreement")
                .snapshot("/api/projects/{id}/review-disagreements")
                .tries(50)
                .run();
    }

    /** The item is embedded, so the snapshots only change if a fuzzed request changes something. */
    private static void awaitEmbedded(String project) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            var status = given().get("/api/projects/{id}/embeddings/status", project);
            if (status.statusCode() == 200 && Integer.valueOf(1).equals(status.path("embedded"))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the item of " + project + " was not embedded within 3 minutes");
    }
}
