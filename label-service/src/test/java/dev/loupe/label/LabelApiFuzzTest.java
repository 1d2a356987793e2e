package dev.loupe.label;

import dev.loupe.testing.OpenApiFuzz;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** Malformed requests to every operation of the committed OpenAPI document answer 4xx problem+json, change nothing. */
@QuarkusTest
class LabelApiFuzzTest {

    @Test
    void malformedRequestsToEveryOperationAreRejectedAndChangeNothing() {
        String project = LabelApi.createProject();
        JsonPath item = LabelApi.addItem(project, "ii");
        String itemId = item.getString("id");
        OpenApiFuzz.ofCommittedDocument()
                .realId("/api/projects/{id}", project)
                .realId("/api/projects/{projectId}", project)
                .realId("/api/items/{id}", itemId)
                .realId("/api/blobs/{sha256}", item.getString("sha256"))
                .baseline("POST /api/projects/{projectId}/relabels", """
                        {"reason": "fuzz", "changes": [{"itemId": "%s", "label": "iii", "version": %d}]}"""
                        .formatted(itemId, item.getLong("version")))
                .baseline("POST /api/projects/{projectId}/exclusions", """
                        {"reason": "fuzz", "items": [{"itemId": "%s", "version": %d}]}"""
                        .formatted(itemId, item.getLong("version") + 1))
                .baseline("POST /api/projects/{projectId}/restorations", """
                        {"reason": "fuzz", "items": [{"itemId": "%s", "version": %d}]}"""
                        .formatted(itemId, item.getLong("version") + 1))
                .numericQueryParams("page", "size")
                .optionalBody("POST /api/items/{id}/restore")
                .snapshot("/api/projects")
                .snapshot("/api/projects/{id}/items?excluded=any")
                .snapshot("/api/items/{id}/history")
                .snapshot("/api/projects/{projectId}/imports")
                .tries(50)
                .run();
    }
}
