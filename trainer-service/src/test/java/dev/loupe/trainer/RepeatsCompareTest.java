package dev.loupe.trainer;

import dev.loupe.events.EvaluationRequested;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.Topics;
import dev.loupe.testing.LoupeClient;
import dev.loupe.trainer.event.TrainerEventsConsumer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run of several seeds on the real model (1 epoch per seed, a small subset of the DCAI set): every seed's results
 * are reported and kept, each seed's are those of a run of that seed alone, the dataset service summarises them, and
 * two versions compare seed by seed; repeats x epochs x (1 + folds) over the budget is refused.
 */
@QuarkusTest
class RepeatsCompareTest {

    static final List<String> CLASSES = List.of("i", "ii", "iii");

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "loupe.dataset-service-url")
    String datasetUrl;

    @ConfigProperty(name = "loupe.embedding-service-url")
    String embeddingUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final EventCodec codec = new EventCodec();

    @Test
    void aRunOfTwoSeedsReportsEachAndTwoVersionsCompareSeedBySeed() throws Exception {
        Path dcai = TrainingImages.folder();
        String project = importSubset(dcai, 12, 4);
        int items = CLASSES.size() * 16;
        TrainerFlowTest.await(() -> given().baseUri(embeddingUrl).get("/api/projects/{id}/embeddings/status", project).jsonPath(),
                s -> s.getInt("embedded") == items, Duration.ofSeconds(120), "embeddings");
        TrainerFlowTest.await(() -> given().baseUri(datasetUrl).get("/api/projects/{id}/split", project).jsonPath(),
                s -> "keep-original".equals(s.getString("strategy")) && total(s) == items, Duration.ofSeconds(120), "split");
        String v1 = publish(project, "r1");
        String v2 = publish(project, "r2");
        // the automatic runs (seed 123) end before the requests, so the project's quota of active runs is not in the way
        awaitRun(TrainerEventsConsumer.autoRunId(UUID.fromString(v1)), r -> "COMPLETED".equals(r.getString("status")));
        awaitRun(TrainerEventsConsumer.autoRunId(UUID.fromString(v2)), r -> "COMPLETED".equals(r.getString("status")));

        String both1 = request(v1, Map.of("epochs", 1, "seed", 5, "repeats", 2));
        String both2 = request(v2, Map.of("epochs", 1, "seed", 5, "repeats", 2));
        String alone = request(v1, Map.of("epochs", 1, "seed", 6));
        JsonPath run = awaitRun(UUID.fromString(both1), r -> "COMPLETED".equals(r.getString("status")));
        assertEquals(2, run.getInt("repeats"));
        assertEquals(List.of(5, 6), run.getList("metrics.seedResults.seed", Integer.class));
        assertEquals(2, run.getInt("epoch"), "progress counts the epochs of both seeds");
        assertEquals(2, run.getList("history").size());
        assertEquals(List.of(5, 6), run.getList("history.seed", Integer.class));
        for (int s = 0; s < 2; s++) {
            List<List<Integer>> confusion = run.getList("metrics.seedResults[" + s + "].confusion");
            assertEquals(3, confusion.size());
            assertEquals(run.getInt("metrics.valItems"), confusion.stream().flatMap(List::stream).mapToInt(Integer::intValue).sum());
        }
        // the second seed's results are exactly those of a run of that seed alone
        JsonPath single = awaitRun(UUID.fromString(alone), r -> "COMPLETED".equals(r.getString("status")));
        assertEquals(single.getDouble("metrics.valAccuracy"), run.getDouble("metrics.seedResults[1].valAccuracy"));
        assertEquals(single.getList("metrics.confusion"), run.getList("metrics.seedResults[1].confusion"));
        awaitRun(UUID.fromString(both2), r -> "COMPLETED".equals(r.getString("status")));

        // the dataset service: 2 x 1 epochs, mean and spread over the two seeds
        JsonPath evaluation = awaitEvaluation(v1, both1);
        assertEquals(2, evaluation.getInt("epochs"));
        assertEquals(2, evaluation.getInt("summary.n"));
        double a = run.getDouble("metrics.seedResults[0].valAccuracy");
        double b = run.getDouble("metrics.seedResults[1].valAccuracy");
        assertEquals((a + b) / 2, evaluation.getDouble("summary.valAccuracy.mean"), 1e-6);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), evaluation.getDouble("summary.valAccuracy.sd"), 1e-6);
        awaitEvaluation(v2, both2);

        // v2 against v1: seeds 5, 6 and the automatic runs' 123 pair up (seed 6 of v1 is the newest of its two runs)
        JsonPath compared = given().baseUri(datasetUrl).queryParam("against", v1).get("/api/versions/{v}/compare", v2)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(5, 6, 123), compared.getList("seeds", Integer.class), compared.prettify());
        assertEquals("val", compared.getString("basis"));
        assertTrue(List.of("better", "worse", "no detectable difference").contains(compared.getString("verdict")));
        assertEquals(compared.getDouble("val.difference"), compared.getDouble("val.mean") - compared.getDouble("val.againstMean"), 1e-5);
        assertTrue(compared.getDouble("val.low") <= compared.getDouble("val.difference"));

        // over the budget, sent straight to the trainer: 4 x 200 x 1 = 800 > 600, refused and never trained
        UUID big = UUID.randomUUID();
        LoupeClient.send(bootstrap, Topics.DATASETS, project, codec.encode(EventEnvelope.wrap(UUID.randomUUID(), "trainer-test",
                Instant.now(), 0, new EvaluationRequested(UUID.fromString(project), UUID.fromString(v1), big, 200, null,
                        null, 4, "ana", Instant.now()))));
        JsonPath refused = awaitRun(big, r -> "FAILED".equals(r.getString("status")));
        assertTrue(refused.getString("error").startsWith("QUOTA_EXCEEDED"), refused.prettify());
        assertTrue(refused.getString("error").contains("800"), refused.prettify());
        assertEquals(0, refused.getInt("attempts"));
        given().baseUri(datasetUrl).contentType(ContentType.JSON).body(Map.of("epochs", 200, "repeats", 4))
                .post("/api/versions/{v}/evaluations", v1).then().statusCode(422).contentType("application/problem+json");
    }

    private String request(String version, Map<String, Object> body) {
        return given().baseUri(datasetUrl).contentType(ContentType.JSON).body(body).post("/api/versions/{v}/evaluations", version)
                .then().statusCode(202).extract().path("id");
    }

    private String publish(String project, String name) {
        return given().baseUri(datasetUrl).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("versionId");
    }

    private static int total(JsonPath split) {
        int total = 0;
        for (String side : List.of("train", "val")) {
            Map<String, Integer> counts = split.getMap("counts." + side);
            total += counts == null ? 0 : counts.values().stream().mapToInt(Integer::intValue).sum();
        }
        return total;
    }

    /** Train and val images of each class with their sides, in a new project whose split keeps them. */
    private String importSubset(Path dcai, int trainPerClass, int valPerClass) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String side : List.of("train", "val")) {
                for (String c : CLASSES) {
                    try (Stream<Path> files = Files.list(dcai.resolve(side).resolve(c))) {
                        for (Path f : files.filter(Files::isRegularFile).sorted()
                                .limit(side.equals("train") ? trainPerClass : valPerClass).toList()) {
                            zip.putNextEntry(new ZipEntry(side + "/" + c + "/" + f.getFileName()));
                            zip.write(Files.readAllBytes(f));
                            zip.closeEntry();
                        }
                    }
                }
            }
        }
        String project = LoupeClient.importZip(labelUrl, "repeats", CLASSES, bytes.toByteArray());
        TrainerFlowTest.await(() -> {
            var response = given().baseUri(datasetUrl).get("/api/projects/{id}/split/config", project);
            return response.statusCode() == 200 ? response.jsonPath() : null;
        }, config -> true, Duration.ofSeconds(60), "the dataset service's split of " + project);
        given().baseUri(datasetUrl).contentType(ContentType.JSON).header("If-Match", "*")
                .body(Map.of("strategy", "keep-original", "valFraction", 0.2, "seed", 1))
                .put("/api/projects/{id}/split/config", project).then().statusCode(200);
        return project;
    }

    private JsonPath awaitEvaluation(String version, String id) throws InterruptedException {
        return TrainerFlowTest.await(() -> {
            JsonPath all = given().baseUri(datasetUrl).get("/api/versions/{v}/evaluations", version).then().statusCode(200)
                    .extract().jsonPath();
            List<String> ids = all.getList("id");
            int i = ids.indexOf(id);
            return i < 0 ? null : JsonPath.from(new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules()
                    .writeValueAsString(all.getMap("[" + i + "]")));
        }, e -> "COMPLETED".equals(e.getString("status")), Duration.ofSeconds(120), "evaluation " + id);
    }

    private JsonPath awaitRun(UUID id, Predicate<JsonPath> done) throws InterruptedException {
        return TrainerFlowTest.await(() -> {
            var response = given().get("/api/evaluations/{id}", id);
            return response.statusCode() == 200 ? response.jsonPath() : null;
        }, done, Duration.ofSeconds(300), "run " + id);
    }
}
