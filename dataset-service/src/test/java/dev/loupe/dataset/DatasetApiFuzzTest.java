package dev.loupe.dataset;

import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.OpenApiFuzz;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

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
        given().queryParam("itemId", item).queryParam("wait", 60).get("/api/projects/{id}/split", project)
                .then().statusCode(200).body("reached", org.hamcrest.Matchers.equalTo(true));
        OpenApiFuzz.ofCommittedDocument()
                .realId("/api/projects/{id}", project)
                .numericQueryParams("page", "size", "limit", "minVersion", "minLabelsSeen", "wait")
                .snapshot("/api/projects/{id}/versions")
                .snapshot("/api/projects/{id}/split/config")
                .snapshot("/api/webhooks")
                .tries(50)
                .run();
    }
}
