package dev.loupe.trainer;

import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.OpenApiFuzz;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Malformed requests to every operation of the committed OpenAPI document answer 4xx problem+json, change nothing. */
@QuarkusTest
class TrainerApiFuzzTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Test
    void malformedRequestsToEveryOperationAreRejectedAndChangeNothing() {
        String project = LoupeClient.createProject(labelUrl, "fuzz", List.of("i", "ii"));
        OpenApiFuzz.ofCommittedDocument()
                .realId("/api/projects/{id}", project)
                .numericQueryParams("limit")
                .snapshot("/api/evaluations")
                .snapshot("/api/projects/{id}/test-folder")
                .tries(50)
                .run();
    }
}
