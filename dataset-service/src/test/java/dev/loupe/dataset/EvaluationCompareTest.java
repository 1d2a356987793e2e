package dev.loupe.dataset;

import dev.loupe.events.EvaluationRequested;
import dev.loupe.events.EvaluationStatus;
import dev.loupe.events.EventCodec;
import dev.loupe.events.ModelEvaluated;
import dev.loupe.events.Topics;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Evaluations with repeats (per-seed results, mean and spread) and comparisons of two versions seed by seed, with the
 * trainer's states sent to the real broker as the trainer sends them.
 */
@QuarkusTest
class EvaluationCompareTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static final EventCodec CODEC = new EventCodec();

    @Test
    void repeatsAreRequestedSummarisedAndComparedSeedBySeed() throws Exception {
        String project = importProject(labelUrl, new SyntheticSpec(List.of("i", "ii"), 8, 0.25, 0, 0, 41), "cmp");
        AccessTest.awaitSplitOf(project, 16);
        String v1 = version(project, "base");
        String v2 = version(project, "better");
        String v3 = version(project, "noisy");
        String v4 = version(project, "one-seed");
        String v5 = version(project, "never-evaluated");

        // repeats: validated, budgeted (repeats x epochs x (1 + folds)), announced
        given().contentType(ContentType.JSON).body(Map.of("repeats", 0)).post("/api/versions/{v}/evaluations", v1)
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("repeats"));
        given().contentType(ContentType.JSON).body(Map.of("repeats", 21)).post("/api/versions/{v}/evaluations", v1)
                .then().statusCode(422).body("errors.field", hasItem("repeats"));
        given().contentType(ContentType.JSON).body(Map.of("repeats", 7, "epochs", 100)).post("/api/versions/{v}/evaluations", v1)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("repeats")).body("errors.field", hasItem("epochs"));
        given().contentType(ContentType.JSON).body(Map.of("repeats", 3, "epochs", 60, "folds", 3))
                .post("/api/versions/{v}/evaluations", v1).then().statusCode(422).body("errors.field", hasItem("folds"));
        assertEquals(0, given().get("/api/versions/{v}/evaluations", v1).then().extract().jsonPath().getList("$").size());
        String requested = given().contentType(ContentType.JSON).body(Map.of("repeats", 3, "epochs", 2, "seed", 7))
                .post("/api/versions/{v}/evaluations", v1).then().statusCode(202).extract().path("id");
        EvaluationRequested event = TopicReader.readUntil(bootstrap, Topics.DATASETS, all -> all.stream()
                        .anyMatch(r -> r.value().contains(requested)), Duration.ofSeconds(20)).stream()
                .filter(r -> r.value().contains(requested)).map(r -> (EvaluationRequested) CODEC.decode(r.value()).data())
                .findFirst().orElseThrow();
        assertEquals(3, event.repeats());
        assertEquals(7L, event.seed());

        // the trainer's results: v1 and v2 on seeds 7, 8, 9 (v2 also 10), val and the test folder
        UUID p = UUID.fromString(project);
        completed(bootstrap, p, v1, UUID.fromString(requested), List.of(
                seed(7, 0.60, 0.50, 0.55, 0.45), seed(8, 0.62, 0.52, 0.60, 0.44), seed(9, 0.61, 0.51, 0.50, 0.52)));
        completed(bootstrap, p, v2, UUID.randomUUID(), List.of(
                seed(7, 0.70, 0.60, 0.70, 0.50), seed(8, 0.71, 0.63, 0.70, 0.56), seed(9, 0.73, 0.61, 0.62, 0.60),
                seed(10, 0.90, 0.90, 0.9, 0.9)));
        // v3: differences on the test folder +0.05, -0.05, +0.01 (the interval holds 0)
        completed(bootstrap, p, v3, UUID.randomUUID(), List.of(
                seed(7, 0.60, 0.55, 0.6, 0.5), seed(8, 0.62, 0.47, 0.5, 0.44), seed(9, 0.61, 0.52, 0.5, 0.54)));
        // v4: a run of one seed reports its results at the top of its metrics
        Map<String, Object> single = new LinkedHashMap<>(seed(8, 0.66, 0.58, 0.6, 0.56));
        single.put("classes", List.of("i", "ii"));
        send(bootstrap, new ModelEvaluated(p, UUID.fromString(v4), UUID.randomUUID(), EvaluationStatus.COMPLETED, 2, 2, single, null,
                Instant.now(), Instant.now(), Instant.now()));

        // mean and spread on the evaluation
        JsonPath list = awaitCompleted(v1);
        assertEquals(3, list.getInt("[0].summary.n"));
        assertEquals(0.61, list.getDouble("[0].summary.valAccuracy.mean"), 1e-6);
        assertEquals(0.01, list.getDouble("[0].summary.valAccuracy.sd"), 1e-6);
        assertEquals(0.51, list.getDouble("[0].summary.testAccuracy.mean"), 1e-6);
        assertEquals(0.55, list.getDouble("[0].summary.testPerClass.i.mean"), 1e-6);
        assertEquals(0.05, list.getDouble("[0].summary.testPerClass.i.sd"), 1e-6);
        // confusion matrices summed over the seeds: 3 x [[3, 1], [1, 3]]
        assertEquals(List.of(List.of(9, 3), List.of(3, 9)), list.getList("[0].summary.confusion"));
        assertEquals(List.of(7, 8, 9), list.getList("[0].summary.seeds", Integer.class));
        // scored on the version's val side and on a test folder
        Map<String, Integer> val = given().get("/api/versions/{v}", v1).then().extract().jsonPath().getMap("counts.val");
        assertEquals(val.values().stream().mapToInt(Integer::intValue).sum(), list.getInt("[0].evaluationSet.valItems"));
        assertEquals(64, list.getString("[0].evaluationSet.valFingerprint").length());
        assertEquals(true, list.getBoolean("[0].evaluationSet.testFolder"));
        awaitCompleted(v2);
        awaitCompleted(v3);
        awaitCompleted(v4);

        // v2 against v1: test differences 0.10, 0.11, 0.10 over three pairs (seed 10 has no partner)
        JsonPath better = given().queryParam("against", v1).get("/api/versions/{v}/compare", v2).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(3, better.getInt("pairs"));
        assertEquals(List.of(7, 8, 9), better.getList("seeds", Integer.class));
        assertEquals("test", better.getString("basis"));
        // versions made one after another without changes: the same val side, so val is a fair basis too
        assertEquals(Map.of("basis", "test", "sameValItems", true, "frozen", false), better.getMap("evaluationSet"));
        assertNull(better.get("reason"));
        assertEquals("better", better.getString("verdict"));
        double mean = (0.10 + 0.11 + 0.10) / 3;
        double sd = Math.sqrt((2 * Math.pow(0.10 - mean, 2) + Math.pow(0.11 - mean, 2)) / 2);
        double half = 4.303 * sd / Math.sqrt(3);
        assertEquals(mean, better.getDouble("test.difference"), 1e-6);
        assertEquals(sd, better.getDouble("test.sd"), 1e-6);
        assertEquals(mean - half, better.getDouble("test.low"), 1e-6);
        assertEquals(mean + half, better.getDouble("test.high"), 1e-6);
        assertEquals(0.51, better.getDouble("test.againstMean"), 1e-6);
        assertEquals("better", better.getString("val.verdict"));
        assertEquals((0.70 + 0.70 + 0.62 - 0.55 - 0.60 - 0.50) / 3, better.getDouble("perClass.i"), 1e-6);
        assertEquals((0.50 + 0.56 + 0.60 - 0.45 - 0.44 - 0.52) / 3, better.getDouble("perClass.ii"), 1e-6);
        // the verdict on val instead (a frozen validation side may hold many more items than a test folder): same
        // pairs, the val difference decides, and the per-class deltas are val's
        JsonPath onVal = given().queryParam("against", v1).queryParam("basis", "val").get("/api/versions/{v}/compare", v2)
                .then().statusCode(200).extract().jsonPath();
        assertEquals("val", onVal.getString("basis"));
        assertEquals("val", onVal.getString("evaluationSet.basis"));
        assertEquals("better", onVal.getString("verdict"));
        assertEquals((0.70 + 0.71 + 0.73 - 0.60 - 0.62 - 0.61) / 3, onVal.getDouble("val.difference"), 1e-6);
        assertEquals(mean, onVal.getDouble("test.difference"), 1e-6, "the test numbers stay");
        assertEquals((0.70 + 0.71 + 0.73 - 0.60 - 0.62 - 0.61) / 3, onVal.getDouble("perClass.i"), 1e-6);
        given().queryParam("against", v1).queryParam("basis", "test").get("/api/versions/{v}/compare", v2).then()
                .statusCode(200).body("basis", equalTo("test"));
        given().queryParam("against", v1).queryParam("basis", "train").get("/api/versions/{v}/compare", v2).then()
                .statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("basis"));
        given().queryParam("against", v2).get("/api/versions/{v}/compare", v1).then().statusCode(200)
                .body("verdict", equalTo("worse"));
        given().queryParam("against", v1).get("/api/versions/{v}/compare", v3).then().statusCode(200)
                .body("pairs", equalTo(3)).body("verdict", equalTo("no detectable difference"));
        // one pair: the interval is unknown
        JsonPath one = given().queryParam("against", v1).get("/api/versions/{v}/compare", v4).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, one.getInt("pairs"));
        assertNull(one.get("test.low"));
        assertNull(one.get("test.sd"));
        assertEquals("no detectable difference", one.getString("verdict"));
        assertEquals(0.58 - 0.52, one.getDouble("test.difference"), 1e-6);
        given().queryParam("against", v1).get("/api/versions/{v}/compare", v4).then().body("interval",
                org.hamcrest.Matchers.startsWith("unknown"));

        // a redelivered result changes nothing
        completed(bootstrap, p, v1, UUID.fromString(requested), List.of(
                seed(7, 0.60, 0.50, 0.55, 0.45), seed(8, 0.62, 0.52, 0.60, 0.44), seed(9, 0.61, 0.51, 0.50, 0.52)));
        Thread.sleep(1500);
        given().queryParam("against", v1).get("/api/versions/{v}/compare", v2).then().statusCode(200)
                .body("pairs", equalTo(3)).body("verdict", equalTo("better"));

        // no paired runs: 409; unknown or foreign versions: 404; no or a malformed `against`: 422 (as for diff)
        given().queryParam("against", v1).get("/api/versions/{v}/compare", v5).then().statusCode(409)
                .contentType("application/problem+json");
        given().queryParam("against", v1).get("/api/versions/{v}/compare", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().queryParam("against", UUID.randomUUID()).get("/api/versions/{v}/compare", v1).then().statusCode(404)
                .contentType("application/problem+json").body("errors[0].field", equalTo("against"));
        String other = importProject(labelUrl, new SyntheticSpec(List.of("i", "ii"), 4, 0.25, 0, 0, 43), "other");
        AccessTest.awaitSplitOf(other, 8);
        String foreign = version(other, "foreign");
        given().queryParam("against", foreign).get("/api/versions/{v}/compare", v1).then().statusCode(404)
                .contentType("application/problem+json").body("errors[0].field", equalTo("against"));
        given().get("/api/versions/{v}/compare", v1).then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("against"));
        given().queryParam("against", "nope").get("/api/versions/{v}/compare", v1).then().statusCode(422)
                .body("errors[0].field", equalTo("against"));
    }

    // --- helpers

    /** One seed's results: val and test accuracy, test accuracy of class i and ii; val confusion [[3, 1], [1, 3]]. */
    private static Map<String, Object> seed(long seed, double val, double test, double testI, double testIi) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("valAccuracy", val);
        m.put("testAccuracy", test);
        m.put("perClass", Map.of("i", val, "ii", val));
        m.put("confusion", List.of(List.of(3, 1), List.of(1, 3)));
        m.put("testPerClass", Map.of("i", testI, "ii", testIi));
        m.put("testConfusion", List.of(List.of(2, 0), List.of(1, 1)));
        return m;
    }

    /** Sends a COMPLETED state of evaluation {@code id} with these seeds' results, as the trainer does. */
    static void completed(String bootstrap, UUID project, String version, UUID id, List<Map<String, Object>> seeds) {
        Map<String, Object> metrics = new LinkedHashMap<>(seeds.get(0));
        metrics.put("classes", List.of("i", "ii"));
        metrics.put("repeats", seeds.size());
        metrics.put("seedResults", new ArrayList<>(seeds));
        Instant now = Instant.now();
        send(bootstrap, new ModelEvaluated(project, UUID.fromString(version), id, EvaluationStatus.COMPLETED,
                2 * seeds.size(), 2 * seeds.size(), metrics, null, now, now, now));
    }

    private static void send(String bootstrap, ModelEvaluated event) {
        LoupeClient.send(bootstrap, Topics.EVALUATIONS, event.evaluationId().toString(),
                CODEC.encode(dev.loupe.events.EventEnvelope.wrap(UUID.randomUUID(), "trainer-test", event.at(), 0, event)));
    }

    static JsonPath awaitCompleted(String version) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            last = given().get("/api/versions/{v}/evaluations", version).then().statusCode(200).extract().jsonPath();
            if (!last.getList("$").isEmpty() && "COMPLETED".equals(last.getString("[0].status"))) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no completed evaluation: " + (last == null ? null : last.prettify()));
    }

    static String version(String project, String name) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/projects/{id}/versions", project)
                .then().statusCode(201).extract().path("versionId");
    }

    static String importProject(String labelUrl, SyntheticSpec spec, String name) throws IOException {
        List<Sample> samples = new RomanNumeralGenerator(spec).generate();
        List<String> classes = samples.stream().map(Sample::givenLabel).distinct().sorted().toList();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        return LoupeClient.importZip(labelUrl, name, classes, zip.toByteArray());
    }
}
