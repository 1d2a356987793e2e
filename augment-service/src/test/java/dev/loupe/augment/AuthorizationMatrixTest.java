package dev.loupe.augment;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.AuthorizationMatrix;
import dev.loupe.testing.AuthorizationMatrix.Need;
import dev.loupe.testing.LoupeClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every operation of the augment service, as anonymous, a revoked token, a non-member and each role (generated from
 * /q/openapi), on a project with a real item, a finished job and a glyph cut from the item.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    private static final Map<String, Object> ZOOM = Map.of("op", "zoom", "params", Map.of("factor", 1.1));

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Test
    void everyOperationAnswersEachCallerAsItsRuleSays() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 2, 0.25, 0, 0, 41)).generate(), zip);
        String project = LoupeClient.importZip(labelUrl, "aug-matrix", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
        AugmentFlowTest.awaitTrue("import", () -> given().baseUri(labelUrl).queryParam("size", 1)
                .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getLong("total") == 20);
        String item = given().baseUri(labelUrl).queryParam("label", "i").queryParam("size", 1)
                .get("/api/projects/{id}/items", project).then().statusCode(200).extract().path("items[0].id");

        // as the administrator: a finished job and a glyph cut from a real item
        String job = given().contentType(ContentType.JSON).body(Map.of("itemIds", List.of(item), "ops", List.of(ZOOM), "seed", 1))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(202).extract().path("jobId");
        assertEquals("COMPLETED", AugmentFlowTest.awaitJob(job).getString("status"));
        String glyph = given().contentType(ContentType.JSON).body(Map.of("itemId", item, "symbol", "i"))
                .post("/api/glyphs").then().statusCode(201).extract().path("glyphId");
        Map<String, Object> policy = given().get("/api/projects/{id}/augment-policy", project).then().statusCode(200)
                .extract().jsonPath().getMap("$");

        AuthorizationMatrix.of("http://localhost:" + RestAssured.port, labelUrl)
                .rule("GET /api/augmentations/{jobId}", Need.VIEWER)
                .rule("GET /api/augmentations/{jobId}/contact-sheet", Need.VIEWER)
                .rule("POST /api/augmentations/{jobId}/retry", Need.CURATOR)
                .rule("POST /api/glyphs", Need.ANNOTATOR)
                .rule("POST /api/glyphs/split", Need.ANNOTATOR)
                .rule("GET /api/glyphs/{glyphId}", Need.VIEWER)
                .rule("GET /api/glyphs/{glyphId}/image", Need.VIEWER)
                .rule("DELETE /api/glyphs/{glyphId}", Need.ANNOTATOR)
                .rule("POST /api/items/{itemId}/augment-preview", Need.CURATOR)
                .rule("GET /api/projects/{id}/augment-policy", Need.VIEWER)
                .rule("PUT /api/projects/{id}/augment-policy", Need.CURATOR)
                .rule("GET /api/projects/{id}/augment-suggestions", Need.VIEWER)
                .rule("GET /api/projects/{id}/augmentations", Need.VIEWER)
                .rule("POST /api/projects/{id}/augmentations", Need.CURATOR)
                .rule("POST /api/projects/{id}/compositions", Need.CURATOR)
                .rule("GET /api/projects/{id}/glyphs", Need.VIEWER)
                .rule("POST /api/projects/{id}/recipes", Need.CURATOR)
                .path("id", project)
                .path("jobId", job)
                .path("glyphId", glyph)
                .path("itemId", item)
                // the item (and so the project) is named in the body of a cut or a split
                .body("POST /api/glyphs", Map.of("itemId", item, "symbol", "i"))
                .body("POST /api/glyphs/split", Map.of("itemId", item))
                .body("POST /api/items/{itemId}/augment-preview", Map.of("ops", List.of(ZOOM), "copies", 1, "seed", 3))
                .body("PUT /api/projects/{id}/augment-policy", policy)
                .header("PUT /api/projects/{id}/augment-policy", "If-Match", "*")
                .body("POST /api/projects/{id}/augmentations", Map.of("itemIds", List.of(item), "ops", List.of(ZOOM), "seed", 2))
                .body("POST /api/projects/{id}/compositions", Map.of("glyphIds", List.of(glyph), "label", "i", "seed", 4))
                .body("POST /api/projects/{id}/recipes", Map.of("label", "ii", "count", 1, "glyphIds", List.of(glyph), "seed", 5))
                .verify(project);
        // the jobs the curator started (a retry, an augmentation, a recipe) end before the service stops
        AugmentFlowTest.awaitTrue("the matrix's jobs", () -> given().get("/api/projects/{id}/augmentations", project).then()
                .statusCode(200).extract().jsonPath().getList("status", String.class).stream()
                .allMatch(status -> status.equals("COMPLETED") || status.equals("FAILED")));
    }
}
