package dev.loupe.augment;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Suggestions from real class counts and the embedding service's real findings on planted label errors. */
@QuarkusTest
class SuggestionsTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "loupe.embedding-service-url")
    String embeddingUrl;

    @Test
    void anUnderRepresentedClassAndConfusedPairsGetSuggestionsWithReadyRequests() throws Exception {
        List<String> classes = List.of("i", "ii", "iii");
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(classes, 24, 0.2, 0.2, 0, 21)).generate();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        String project = LoupeClient.importZip(labelUrl, "suggest", classes, zip.toByteArray());
        AugmentFlowTest.awaitTrue("import", () -> count(project, null) == samples.size());

        // iii loses 14 of its 24 items (excluded: they no longer count)
        List<String> iii = given().baseUri(labelUrl).queryParam("label", "iii").queryParam("size", 14)
                .get("/api/projects/{id}/items", project).then().extract().jsonPath().getList("items.id");
        for (String id : iii) given().baseUri(labelUrl).delete("/api/items/{id}", id).then().statusCode(200);
        AugmentFlowTest.awaitTrue("embedded", () -> {
            JsonPath s = given().baseUri(embeddingUrl).get("/api/projects/{id}/embeddings/status", project).then().extract().jsonPath();
            return s.getInt("items") == samples.size() - 14 && s.getInt("pending") == 0;
        });

        JsonPath[] answer = new JsonPath[1];
        AugmentFlowTest.awaitTrue("confused pairs", () -> {
            answer[0] = given().get("/api/projects/{id}/augment-suggestions", project).then().statusCode(200)
                    .body("embeddings", equalTo("ok")).extract().jsonPath();
            return !answer[0].getList("confusedPairs").isEmpty();
        });
        JsonPath s = answer[0];
        Map<String, Integer> counts = new HashMap<>();
        for (int k = 0; k < 3; k++) counts.put(s.getString("classes[" + k + "].label"), s.getInt("classes[" + k + "].count"));
        assertEquals(10, counts.get("iii"));
        assertEquals(24, counts.get("i"));
        assertEquals(14, s.getInt("classes.find { it.label == 'iii' }.deficit"));
        assertEquals(10, s.getInt("classes.find { it.label == 'iii' }.originals"));

        // the short class gets an augmentation of its own items with operations the policy lets keep its label
        Map<String, Object> forIii = s.getMap("suggestions.find { it.label == 'iii' && it.reason.contains('fewer') }");
        assertEquals("augment", forIii.get("kind"));
        assertEquals(10, forIii.get("newImages"), "one ranged copy of each of its 10 items");
        assertEquals("/api/projects/" + project + "/augmentations", forIii.get("path"));
        assertEquals(List.of("rotate", "zoom"), JsonPath.from(new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(forIii.get("request"))).getList("ops.op"));

        // every reported confusion is backed by planted errors: items given one label whose content is the other
        Map<String, Sample> byPath = new HashMap<>();
        for (Sample sample : samples) byPath.put(sample.fileName(), sample);
        for (Map<String, Object> pair : s.<Map<String, Object>>getList("confusedPairs")) {
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) pair.get("itemIds");
            int planted = 0;
            for (String id : ids) {
                String path = given().baseUri(labelUrl).get("/api/items/{id}", id).then().extract().path("originalPath");
                Sample sample = byPath.get(path.substring(path.lastIndexOf('/') + 1));
                assertEquals(pair.get("givenLabel"), sample.givenLabel());
                if (pair.get("suggestedLabel").equals(sample.trueLabel())) planted++;
            }
            assertTrue(planted * 2 >= ids.size(), "most of " + pair + " are planted errors (" + planted + ")");
        }
        assertTrue(s.getString("suggestions[0].reason").startsWith("confused with other classes"), s.getString("suggestions[0].reason"));

        // the suggested request is accepted as it is
        given().contentType(io.restassured.http.ContentType.JSON).body(forIii.get("request"))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(202).body("total", equalTo(10));
    }

    private long count(String project, String label) {
        var request = given().baseUri(labelUrl).queryParam("size", 1);
        if (label != null) request = request.queryParam("label", label);
        return request.get("/api/projects/{id}/items", project).then().extract().jsonPath().getLong("total");
    }
}
