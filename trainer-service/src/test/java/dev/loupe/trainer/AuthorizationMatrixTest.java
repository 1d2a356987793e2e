package dev.loupe.trainer;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.AuthorizationMatrix;
import dev.loupe.testing.AuthorizationMatrix.Need;
import dev.loupe.testing.LoupeClient;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;

/**
 * Every operation of the trainer service, as anonymous, a revoked token, a non-member and each role (generated from
 * /q/openapi), on a project with a real evaluation (a one-epoch two-fold run of a published version, so it has
 * out-of-fold predictions) and a real test folder.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    private static final List<String> CLASSES = List.of("i", "ii", "iii");

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "loupe.dataset-service-url")
    String datasetUrl;

    @Test
    void everyOperationAnswersEachCallerAsItsRuleSays() throws Exception {
        // 21 synthetic numerals, 5 train and 2 val per class, kept on their sides by the split
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(new RomanNumeralGenerator(new SyntheticSpec(CLASSES, 7, 2.0 / 7, 0, 0, 43)).generate(), zip);
        String project = LoupeClient.importZip(labelUrl, "trainer-matrix", CLASSES, zip.toByteArray());
        await(() -> given().baseUri(datasetUrl).get("/api/projects/{id}/split/config", project).statusCode() == 200 ? "" : null,
                config -> true, "the dataset service's split of " + project);
        given().baseUri(datasetUrl).contentType(ContentType.JSON).header("If-Match", "*")
                .body(Map.of("strategy", "keep-original", "valFraction", 0.2, "seed", 1))
                .put("/api/projects/{id}/split/config", project).then().statusCode(200);
        await(() -> given().baseUri(datasetUrl).get("/api/projects/{id}/split", project).jsonPath(),
                split -> "keep-original".equals(split.getString("strategy")) && total(split, "train") + total(split, "val") == 21
                        && total(split, "val") > 0, "a split of all 21 items");

        // a real evaluation: requested with few epochs and two folds, so it ends quickly with predictions to read
        String version = given().baseUri(datasetUrl).contentType(ContentType.JSON).body(Map.of("name", "matrix"))
                .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("versionId");
        String evaluation = given().baseUri(datasetUrl).contentType(ContentType.JSON).body(Map.of("epochs", 1, "folds", 2))
                .post("/api/versions/{v}/evaluations", version).then().statusCode(202).extract().path("id");
        JsonPath run = await(() -> {
            var response = given().get("/api/evaluations/{id}", evaluation);
            return response.statusCode() == 200 ? response.jsonPath() : null;
        }, r -> List.of("COMPLETED", "FAILED", "CANCELLED").contains(r.getString("status")), "evaluation " + evaluation);
        if (!"COMPLETED".equals(run.getString("status"))) {
            throw new AssertionError("the fixture's evaluation did not complete: " + run.prettify());
        }

        // a real test folder (one sub-folder per class, below the test profile's roots), so reading it is a 200
        Path folder = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-folder-roots")), "matrix-")
                .toAbsolutePath();
        for (Sample s : new RomanNumeralGenerator(new SyntheticSpec(CLASSES, 1, 0, 0, 0, 44)).generate()) {
            Files.createDirectories(folder.resolve(s.givenLabel()));
            Files.write(folder.resolve(s.givenLabel()).resolve(s.fileName()), s.png());
        }
        given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("path", folder.toString()))
                .put("/api/projects/{id}/test-folder", project).then().statusCode(200);

        AuthorizationMatrix.of("http://localhost:" + RestAssured.port, labelUrl)
                .rule("GET /api/evaluations", Need.VIEWER)
                .rule("GET /api/evaluations/{id}", Need.VIEWER)
                .rule("POST /api/evaluations/{id}/cancel", Need.CURATOR)
                .rule("GET /api/evaluations/{id}/predictions", Need.VIEWER)
                .rule("GET /api/projects/{id}/test-folder", Need.CURATOR)
                .rule("PUT /api/projects/{id}/test-folder", Need.ADMIN)
                .rule("DELETE /api/projects/{id}/test-folder", Need.ADMIN)
                .query("GET /api/evaluations", "projectId", project)
                .header("PUT /api/projects/{id}/test-folder", "If-Match", "*")
                .body("PUT /api/projects/{id}/test-folder", Map.of("path", folder.toString()))
                .header("DELETE /api/projects/{id}/test-folder", "If-Match", "*")
                .pathFor("/api/evaluations/{id}", "id", evaluation)
                .pathFor("/api/projects/{id}", "id", project)
                .verify(project);
    }

    private static int total(JsonPath split, String side) {
        Map<String, Integer> counts = split.getMap("counts." + side);
        return counts == null ? 0 : counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        T last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = read.get();
                if (last != null && done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // not there yet (a service still starting up, an answer that is no JSON yet)
            }
            Thread.sleep(300);
        }
        throw new AssertionError(what + " never got there: " + (last instanceof JsonPath json ? json.prettify() : last));
    }
}
