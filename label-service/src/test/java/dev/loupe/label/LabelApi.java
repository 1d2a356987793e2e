package dev.loupe.label;

import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Test helpers that drive the label service over HTTP, as a client would. */
public final class LabelApi {

    public static final List<String> ROMAN = SyntheticSpec.ROMAN_I_TO_X;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private LabelApi() {
    }

    public static String createProject() {
        return createProject("project-" + UUID.randomUUID(), ROMAN);
    }

    public static String createProject(String name, List<String> classes) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name, "classes", classes))
                .post("/api/projects").then().statusCode(201).extract().path("id");
    }

    /** Synthetic handwritten numerals, rendered deterministically per seed. */
    public static List<Sample> samples(int perClass, long seed) {
        return new RomanNumeralGenerator(new SyntheticSpec(ROMAN, perClass, 0.25, 0.0, 0.0, seed)).generate();
    }

    public static byte[] png(String numeral, long seed) {
        return samples(1, seed).stream().filter(s -> s.givenLabel().equals(numeral)).findFirst().orElseThrow().png();
    }

    /** Adds an item and returns its JSON. */
    public static JsonPath addItem(String projectId, String label) {
        return addItem(projectId, label, png(label, 1000L + NAMES.incrementAndGet()));
    }

    public static JsonPath addItem(String projectId, String label, byte[] png) {
        return given().multiPart("image", "x-" + NAMES.incrementAndGet() + ".png", png, "image/png")
                .multiPart("label", label)
                .post("/api/projects/{id}/items", projectId)
                .then().statusCode(201).extract().jsonPath();
    }

    public static Response relabel(String itemId, String label, Object version, String user) {
        var request = given().contentType(ContentType.JSON).body(Map.of("label", label, "reason", "test"));
        if (version != null) {
            request.header("If-Match", "\"" + version + "\"");
        }
        if (user != null) {
            request.header("Loupe-User", user);
        }
        return request.put("/api/items/{id}/label", itemId);
    }

    public static JsonPath item(String itemId) {
        return given().get("/api/items/{id}", itemId).then().statusCode(200).extract().jsonPath();
    }

    public static int itemCount(String projectId) {
        return given().queryParam("excluded", "any").get("/api/projects/{id}/items", projectId)
                .then().statusCode(200).extract().path("total");
    }
}
