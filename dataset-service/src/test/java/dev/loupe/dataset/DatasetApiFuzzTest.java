package dev.loupe.dataset;

import dev.loupe.testing.Await;
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
class DatasetApiFuzzTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Test
    void malformedRequestsToEveryOperationAreRejectedAndChangeNothing() {
        String project = LoupeClient.createProject(labelUrl, "fuzz", List.of("i", "ii"));
        String item = LoupeClient.addImage(labelUrl, project, "i");
        // the split has seen the item, so the snapshots below only change if a fuzzed request changes something
        // (the project answers 404 until its first item event arrived; then the split waits for the item itself)
        Await.until("the split of " + project + " including " + item, Duration.ofMinutes(3), () -> {
            var split = given().queryParam("itemId", item).queryParam("wait", 10).get("/api/projects/{id}/split", project);
            return split.statusCode() == 200 && Boolean.TRUE.equals(split.path("reached"));
        });
        OpenApiFuzz.ofCommittedDocument()
                .realId("/api/projects/{id}", project)
                .numericQueryParams("page", "size", "limit", "minVersion", "minLabelsSeen", "wait")
                .snapshot("/api/projects/{id}/versions")
                .snapshot("/api/projects/{id}/split/config")
                .snapshot("/api/projects/{id}/curation-plans")
                .snapshot("/api/projects/{id}/curation-runs")
                .snapshot("/api/webhooks")
                .tries(50)
                .run();
    }
}
