package dev.loupe.augment;

import dev.loupe.synthetic.BombPng;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.Cost;
import dev.loupe.testing.LoupeClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decompression bombs sent where the augment service takes images: an 875 KB PNG claiming 30,000 x 30,000 pixels as
 * the {@code mask} of a glyph cut, of an erase in a preview and in an augmentation. Each is a 422 naming the field,
 * answered from the PNG header: quickly and without allocating the 900 MB canvas (before, the service decoded it:
 * 30 s of CPU and 4.8 GB resident). Each endpoint is called once with a mask that is no image first, so the time
 * measured is the bomb's, not the first use of ImageIO in a fresh JVM.
 */
@QuarkusTest
class ImageBombTest {

    /**
     * CPU time of the whole JVM during the request (decoding the bomb took 30 s of CPU). Not wall time: on the shared
     * 2-core build machine (load 20+) a request that needs 0.5 s of CPU waited 3 to 8 s for it. Wall times are printed.
     */
    private static final long MAX_CPU_MILLIS = 3000;
    /** Everything the JVM (service, broker, test client) allocates during the request; decoding would be >= 900 MB. */
    private static final long MAX_ALLOCATED = 256L << 20;

    private static final String NOT_AN_IMAGE = Base64.getEncoder().encodeToString("not a png".getBytes());

    private static String bomb;

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @BeforeAll
    static void makeBomb() {
        bomb = Base64.getEncoder().encodeToString(BombPng.gray(30_000, 30_000));
    }

    @Test
    void aBombMaskForAGlyphCutIsRefusedFromItsHeader() throws Exception {
        String project = importProject();
        String itemId = firstItemId(project);
        // a mask that is no image: the same 422, and the request path (JSON, base64, ImageIO's registry) warmed up
        cut(itemId, NOT_AN_IMAGE).statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("mask")).body("errors[0].message", equalTo("unrecognised image format"));
        quickly("POST /api/glyphs", () -> cut(itemId, bomb))
                .statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("mask"))
                .body("errors[0].message", containsString("30000x30000 = 900000000 pixels, more than the limit of 40000000"));
        given().get("/api/projects/{id}/glyphs", project).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aBombMaskInAPreviewOrAnAugmentationIsRefusedFromItsHeader() throws Exception {
        String project = importProject();
        String itemId = firstItemId(project);
        preview(itemId, NOT_AN_IMAGE).statusCode(422).body("errors[0].field", equalTo("ops[0].mask"))
                .body("errors[0].message", equalTo("unrecognised image format"));
        augment(project, itemId, NOT_AN_IMAGE).statusCode(422).body("errors[0].field", equalTo("ops[0].mask"));

        quickly("POST /api/items/{id}/augment-preview", () -> preview(itemId, bomb))
                .statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("ops[0].mask"))
                .body("errors[0].message", containsString("30000x30000 = 900000000 pixels, more than the limit"));
        quickly("POST /api/projects/{id}/augmentations", () -> augment(project, itemId, bomb))
                .statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("ops[0].mask"))
                .body("errors[0].message", containsString("30000x30000 = 900000000 pixels, more than the limit"));
        given().get("/api/projects/{id}/augmentations", project).then().statusCode(200).body("$", hasSize(0));
    }

    private static ValidatableResponse cut(String itemId, String mask) {
        return given().contentType(ContentType.JSON).body(Map.of("itemId", itemId, "symbol", "v", "mask", mask))
                .post("/api/glyphs").then();
    }

    private static ValidatableResponse preview(String itemId, String mask) {
        return given().contentType(ContentType.JSON).body(Map.of("ops", erase(mask), "copies", 2))
                .post("/api/items/{id}/augment-preview", itemId).then();
    }

    private static ValidatableResponse augment(String project, String itemId, String mask) {
        return given().contentType(ContentType.JSON).body(Map.of("itemIds", List.of(itemId), "ops", erase(mask)))
                .post("/api/projects/{id}/augmentations", project).then();
    }

    private static List<Map<String, Object>> erase(String mask) {
        return List.of(Map.of("op", "erase", "params", Map.of("mask", mask)));
    }

    /** The response, after checking it took under {@link #MAX_CPU_MILLIS} of CPU and allocated at most {@link #MAX_ALLOCATED}. */
    private static ValidatableResponse quickly(String what, Supplier<ValidatableResponse> request) {
        Cost<ValidatableResponse> cost = Cost.of(request);
        System.out.println(what + " with a bomb mask: " + cost);
        assertTrue(cost.cpuMillis() < MAX_CPU_MILLIS, what + ": " + cost);
        assertTrue(cost.allocatedBytes() < MAX_ALLOCATED, what + ": " + cost);
        return cost.result();
    }

    private String importProject() throws Exception {
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 1, 0.2, 0, 0, 7)).generate();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        String project = LoupeClient.importZip(labelUrl, "bomb", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
        AugmentFlowTest.awaitTrue("import", () -> given().baseUri(labelUrl).queryParam("size", 1)
                .get("/api/projects/{id}/items", project).then().extract().jsonPath().getInt("total") == samples.size());
        return project;
    }

    private String firstItemId(String project) {
        return given().baseUri(labelUrl).queryParam("size", 1).get("/api/projects/{id}/items", project).then()
                .statusCode(200).extract().path("items[0].id");
    }
}
