package dev.loupe.augment;

import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.OpenApiFuzz;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Malformed requests to every operation of the committed OpenAPI document answer 4xx problem+json, change nothing. */
@QuarkusTest
class AugmentApiFuzzTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Test
    void malformedRequestsToEveryOperationAreRejectedAndChangeNothing() {
        String project = LoupeClient.createProject(labelUrl, "fuzz", List.of("i", "ii", "iii"));
        String item = LoupeClient.addImage(labelUrl, project, "i");
        OpenApiFuzz.ofCommittedDocument()
                .realId("/api/projects/{id}", project)
                .realId("/api/items/{itemId}", item)
                .numericQueryParams("rows")
                .snapshot("/api/projects/{id}/augmentations")
                .snapshot("/api/projects/{id}/glyphs")
                .snapshot("/api/projects/{id}/augment-policy")
                .tries(50)
                .run();
        // nothing reached the label service either
        io.restassured.RestAssured.given().baseUri(labelUrl).queryParam("excluded", "any")
                .get("/api/projects/{id}/items", project).then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(1));
    }
}
