package dev.loupe.dataset;

import dev.loupe.events.EvaluationCancelRequested;
import dev.loupe.events.EvaluationStatus;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.ModelEvaluated;
import dev.loupe.events.Topics;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.loupe.dataset.CurationPlanTest.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic curation runs on a real project with planted junk (the packaged embedding service finds it): every refusal
 * records nothing; a two-round run proposes and applies a plan per round (excluding the strongest outliers), awaits
 * each round's evaluation (this test plays the trainer: two seeds, one epoch) and keeps the better version; a second
 * run is cancelled while it awaits its evaluation. The augment service is not part of this stack, so this profile
 * allows no copies ({@code loupe.curation.max-copies-per-item=0}): the plans spend no budget on new images.
 */
@QuarkusTest
@TestProfile(CurationRunTest.NoCopies.class)
class CurationRunTest {

    /** Plans without AUGMENT or COMPOSE actions: no augment service runs in this stack. */
    public static class NoCopies implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loupe.curation.max-copies-per-item", "0", "loupe.curation-runs.poll-interval", "PT0.5S");
        }
    }

    private static final List<String> CLASSES = List.of("i", "ii", "iii", "iv", "v");

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "loupe.embedding-service-url")
    String embeddingUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final EventCodec codec = new EventCodec();

    @Test
    void runsRoundsKeepTheBestVersionAndCanBeCancelled() throws Exception {
        // 80 images, 8 of them junk: more strong outliers than one plan excludes (2% of the items, rounded up)
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(CLASSES, 16, 0.25, 0.05, 0.1, 82)).generate();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        String project = LoupeClient.importZip(labelUrl, "runs", CLASSES, zip.toByteArray());
        int items = samples.size();
        AccessTest.awaitSplitOf(project, items);
        await("every image embedded", () -> given().baseUri(embeddingUrl).get("/api/projects/{id}/embeddings/status", project)
                .then().extract().jsonPath(), j -> j.getInt("items") == items && j.getInt("pending") == 0);
        await("three strong outliers", () -> given().baseUri(embeddingUrl)
                .get("/api/projects/{id}/findings?type=outlier", project).then().extract().jsonPath(),
                j -> j.getList("findings.score", Double.class).stream().filter(s -> s >= 5).count() >= 3);

        // the base: a version with a completed two-seed evaluation (seeds 7 and 8)
        String base = given().contentType(ContentType.JSON).body(Map.of("name", "base")).post("/api/projects/{id}/versions", project)
                .then().statusCode(201).extract().path("versionId");
        completed(project, base, UUID.randomUUID().toString(), 0.60, 0.61);
        await("the base evaluation", () -> given().get("/api/versions/{v}/evaluations", base).then().extract().jsonPath(),
                j -> "COMPLETED".equals(j.getString("[0].status")));

        // refusals record nothing
        refused(project, Map.of("budget", items - 1), 422, "budget");
        refused(project, Map.of("budget", 100_001), 422, "budget");
        refused(project, Map.of("rounds", 0), 422, "rounds");
        refused(project, Map.of("rounds", 11), 422, "rounds");
        refused(project, Map.of("minConfidence", 0), 422, "minConfidence");
        refused(project, Map.of("epochs", 0), 422, "epochs");
        refused(project, Map.of("seed", -1), 422, "seed");
        // each evaluation within the quota (7 x 10 = 70 of 600), all rounds together not (10 x 7 x 10 = 700)
        given().contentType(ContentType.JSON).body(Map.of("rounds", 10, "repeats", 7, "epochs", 10))
                .post("/api/projects/{id}/curation-runs", project).then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItems("rounds", "repeats", "epochs"))
                .body("errors[0].message", containsString("700"));
        given().contentType(ContentType.JSON).body(Map.of("rounds", 1)).post("/api/projects/{id}/curation-runs", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().get("/api/curation-runs/{id}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().post("/api/curation-runs/{id}/cancel", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(0, given().get("/api/projects/{id}/curation-runs", project).then().statusCode(200).extract()
                .jsonPath().getList("$").size());
        assertEquals(0, given().get("/api/projects/{id}/curation-plans", project).then().statusCode(200).extract()
                .jsonPath().getList("$").size());

        // a two-round run: 1 epoch per evaluation, repeats and seeds from the base evaluation
        Map<String, Object> body = Map.of("budget", items, "rounds", 2, "epochs", 1, "minConfidence", 1.0);
        var started = given().contentType(ContentType.JSON).body(body).post("/api/projects/{id}/curation-runs", project)
                .then().statusCode(202).body("settings.rounds", equalTo(2)).body("settings.epochs", equalTo(1)).extract();
        String run = started.path("runId");
        assertTrue(started.header("Location").endsWith("/api/curation-runs/" + run));
        // one active run per project
        given().contentType(ContentType.JSON).body(body).post("/api/projects/{id}/curation-runs", project)
                .then().statusCode(409).contentType("application/problem+json");

        // round 1: clearly better than the base on both seeds
        JsonPath first = awaitRound(run, 0);
        assertEquals(1, first.getInt("rounds[0].round"));
        assertEquals("RUNNING", first.getString("status"));
        assertEquals("EVALUATING", first.getString("step"));
        String version1 = first.getString("rounds[0].versionId");
        JsonPath plan1 = given().get("/api/curation-plans/{id}", first.getString("rounds[0].planId")).then().statusCode(200)
                .extract().jsonPath();
        assertEquals("APPLIED", plan1.getString("status"));
        assertEquals(base, plan1.getString("basedOn.versionId"));
        assertTrue(plan1.getList("actions.kind").contains("EXCLUDE"), plan1.prettify());
        assertTrue(plan1.getList("actions.kind", String.class).stream().noneMatch(k -> List.of("AUGMENT", "COMPOSE").contains(k)));
        assertEquals(version1, plan1.getString("versionId"));
        completed(project, version1, first.getString("rounds[0].evaluationId"), 0.70, 0.72);

        // round 2: no detectable difference from round 1's version, which stays the best
        JsonPath second = awaitRound(run, 1);
        // the run froze the validation side at the base before its first plan, and exclusions leave that side alone
        // (its outliers go to review): the versions were scored on the same items, so the comparison is paired
        assertEquals(base, second.getString("frozeValVersion"));
        assertEquals(base, given().get("/api/projects/{id}/split/config", project).then().statusCode(200)
                .extract().path("frozenValVersion"));
        assertEquals("better", second.getString("rounds[0].verdict"), second.prettify());
        assertEquals(0.71, second.getDouble("rounds[0].valAccuracy.mean"), 1e-6);
        assertEquals(2, second.getInt("rounds[0].valAccuracy.seeds"));
        assertNotNull(second.get("rounds[0].valAccuracy.sd"));
        assertNull(second.get("rounds[0].testAccuracy"));
        assertEquals(version1, second.getString("bestVersionId"));
        String version2 = second.getString("rounds[1].versionId");
        assertNotEquals(version1, version2);
        completed(project, version2, second.getString("rounds[1].evaluationId"), 0.71, 0.71);
        JsonPath done = await("the run to finish", () -> given().get("/api/curation-runs/{id}", run).then().statusCode(200)
                .extract().jsonPath(), j -> !List.of("QUEUED", "RUNNING").contains(j.getString("status")));
        assertEquals("COMPLETED", done.getString("status"), done.prettify());
        assertEquals(2, done.getList("rounds").size());
        assertEquals(List.of(1, 2), done.getList("rounds.round"));
        assertEquals("no detectable difference", done.getString("rounds[1].verdict"), done.prettify());
        assertTrue(done.getString("rounds[1].reason").contains("paired comparison with version " + version1), done.prettify());
        assertEquals(version1, done.getString("bestVersionId"));
        assertNull(done.get("step"));
        assertNotNull(done.get("finishedAt"));
        given().get("/api/projects/{id}/curation-runs", project).then().statusCode(200).body("[0].runId", equalTo(run));
        // a finished run cannot be cancelled
        given().post("/api/curation-runs/{id}/cancel", run).then().statusCode(409).contentType("application/problem+json");
        given().get("/api/curation-runs/{id}", run).then().body("status", equalTo("COMPLETED"));

        // a run cancelled while it awaits its first evaluation takes no further step
        String cancelled = given().contentType(ContentType.JSON).body(Map.of("budget", items, "rounds", 3, "epochs", 1, "minConfidence", 1.0))
                .post("/api/projects/{id}/curation-runs", project).then().statusCode(202).extract().path("runId");
        JsonPath waiting = awaitRound(cancelled, 0);
        assertNull(waiting.get("frozeValVersion"), "the side was frozen already: " + waiting.prettify());
        String evaluation = waiting.getString("rounds[0].evaluationId");
        given().post("/api/curation-runs/{id}/cancel", cancelled).then().statusCode(200).body("status", equalTo("CANCELLED"))
                .body("error", containsString(evaluation)).body("error", containsString("cancelled at the trainer"));
        // the trainer is told, through the outbox, on the topic it reads its requests from
        List<EvaluationCancelRequested> cancels = new ArrayList<>();
        TopicReader.readUntil(bootstrap, Topics.DATASETS, all -> {
            cancels.clear();
            for (var r : all) {
                if (codec.decode(r.value()).data() instanceof EvaluationCancelRequested c
                        && c.evaluationId().toString().equals(evaluation)) {
                    cancels.add(c);
                }
            }
            return !cancels.isEmpty();
        }, java.time.Duration.ofSeconds(30));
        assertEquals(1, cancels.size(), "one cancel request: " + cancels);
        assertEquals(project, cancels.getFirst().projectId().toString());
        assertEquals(waiting.getString("rounds[0].versionId"), cancels.getFirst().versionId().toString());
        assertTrue(cancels.getFirst().reason().contains(cancelled), cancels.getFirst().reason());
        completed(project, waiting.getString("rounds[0].versionId"), evaluation, 0.75, 0.75);
        Thread.sleep(3000); // several polls of the worker
        JsonPath after = given().get("/api/curation-runs/{id}", cancelled).then().statusCode(200).extract().jsonPath();
        assertEquals("CANCELLED", after.getString("status"));
        assertEquals(1, after.getList("rounds").size(), "no further round");
        assertNull(after.get("rounds[0].verdict"), "the cancelled round was not judged");
        given().post("/api/curation-runs/{id}/cancel", cancelled).then().statusCode(409);
        // the project is free for a new run again (and the refusals above recorded nothing)
        assertEquals(2, given().get("/api/projects/{id}/curation-runs", project).then().extract().jsonPath().getList("$").size());
    }

    private static void refused(String project, Map<String, Object> body, int status, String field) {
        given().contentType(ContentType.JSON).body(body).post("/api/projects/{id}/curation-runs", project).then()
                .statusCode(status).contentType("application/problem+json").body("errors.field", hasItems(field));
    }

    /** The run once round {@code index} (0-based) has its evaluation queued. */
    private static JsonPath awaitRound(String run, int index) throws InterruptedException {
        JsonPath j = await("round " + (index + 1) + " of run " + run + " evaluating", () -> given()
                .get("/api/curation-runs/{id}", run).then().statusCode(200).extract().jsonPath(), r -> r.getList("rounds").size() > index
                && r.get("rounds[" + index + "].evaluationId") != null || !List.of("QUEUED", "RUNNING").contains(r.getString("status")));
        assertNotNull(j.get("rounds[" + index + "].evaluationId"), j.prettify());
        return j;
    }

    /** A completed evaluation with seeds 7 and 8, as the trainer reports it. */
    private void completed(String project, String version, String evaluation, double val7, double val8) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("classes", CLASSES);
        List<Map<String, Object>> seeds = new ArrayList<>();
        seeds.add(Map.of("seed", 7L, "valAccuracy", val7));
        seeds.add(Map.of("seed", 8L, "valAccuracy", val8));
        metrics.put("seedResults", seeds);
        metrics.put("valAccuracy", (val7 + val8) / 2);
        Instant now = Instant.now();
        ModelEvaluated event = new ModelEvaluated(UUID.fromString(project), UUID.fromString(version), UUID.fromString(evaluation),
                EvaluationStatus.COMPLETED, 1, 1, metrics, null, now, now, now);
        LoupeClient.send(bootstrap, Topics.EVALUATIONS, evaluation,
                codec.encode(EventEnvelope.wrap(UUID.randomUUID(), "trainer-test", now, 0, event)));
    }
}
