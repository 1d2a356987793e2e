package dev.loupe.dataset;

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
    void malformedRequestsToEveryOperationAreRejectedAndChangeNothing() throws InterruptedException {
        String project = LoupeClient.createProject(labelUrl, "fuzz", List.of("i", "ii"));
        String item = LoupeClient.addImage(labelUrl, project, "i");
        // the split has seen the item, so the snapshots below only change if a fuzzed request changes something
        awaitSplitWith(project, item);
        OpenApiFuzz.ofCommittedDocument()
                .realId("/api/projects/{id}", project)
                .numericQueryParams("page", "size", "limit", "minVersion", "minLabelsSeen", "wait")
                .snapshot("/api/projects/{id}/versions")
                .snapshot("/api/projects/{id}/split/config")
                .snapshot("/api/webhooks")
                .tries(50)
                .run();
    }

    /** The project answers 404 until its first item event arrived; then the split waits for the item itself. */
    private static void awaitSplitWith(String project, String item) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            var split = given().queryParam("itemId", item).queryParam("wait", 10).get("/api/projects/{id}/split", project);
            if (split.statusCode() == 200 && Boolean.TRUE.equals(split.path("reached"))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the split of " + project + " did not include " + item + " within 3 minutes");
    }
}
