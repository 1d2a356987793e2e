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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Curation plans on a real project (the packaged label and embedding services find its planted wrong labels and junk):
 * proposed with evidence, every refusal recording nothing, applied (exclude and relabel at the label service, a
 * version, its evaluation queued with the base's seed), and the effect once the trainer's result arrives. The augment
 * service is not part of this stack: the plan says so and an AUGMENT action fails the plan honestly.
 */
@QuarkusTest
class CurationPlanTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "loupe.embedding-service-url")
    String embeddingUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final EventCodec codec = new EventCodec();

    @Test
    void aPlanIsProposedWithEvidenceAppliedAndMeasured() throws Exception {
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(List.of("i", "ii", "iii", "iv", "v"), 16, 0.25,
                0.1, 0.04, 81)).generate();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        String project = LoupeClient.importZip(labelUrl, "plan", List.of("i", "ii", "iii", "iv", "v"), zip.toByteArray());
        int items = samples.size();
        AccessTest.awaitSplitOf(project, items);
        // the embedding service's findings, once every image is embedded: label issues and strong outliers (planted
        // blank or dark pages)
        await("every image embedded", () -> given().baseUri(embeddingUrl).get("/api/projects/{id}/embeddings/status", project)
                .then().extract().jsonPath(), j -> j.getInt("items") == items && j.getInt("pending") == 0);
        JsonPath issues = await("a label issue", () -> given().baseUri(embeddingUrl)
                .get("/api/projects/{id}/findings?type=label-issue", project).then().extract().jsonPath(),
                j -> j.getList("findings") != null && !j.getList("findings").isEmpty());
        JsonPath outliers = await("a strong outlier", () -> given().baseUri(embeddingUrl)
                .get("/api/projects/{id}/findings?type=outlier", project).then().extract().jsonPath(),
                j -> j.getList("findings.score", Double.class).stream().anyMatch(s -> s >= 5));
        // the most confident label issue that is no outlier (junk is excluded, not relabelled)
        List<String> strange = outliers.getList("findings.collect { it.itemIds[0] }", String.class);
        int first = 0;
        while (strange.contains(issues.getString("findings[" + first + "].itemIds[0]"))) {
            first++;
        }
        // a little below it (JsonPath reads floats; the finder's probabilities move a little between snapshots)
        double minConfidence = issues.getDouble("findings[" + first + "].score") - 0.01;
        List<String> flagged = issues.getList("findings.collect { it.itemIds[0] }", String.class);
        // a person kept the next label issue's label in the review queue: no plan overrules that
        int next = first + 1;
        while (strange.contains(issues.getString("findings[" + next + "].itemIds[0]"))) {
            next++;
        }
        String kept = issues.getString("findings[" + next + "].itemIds[0]");
        int keptVersion = given().baseUri(labelUrl).get("/api/items/{id}", kept).then().statusCode(200).extract().path("version");
        given().baseUri(embeddingUrl).contentType(ContentType.JSON)
                .body(Map.of("itemId", kept, "version", keptVersion, "decision", "KEEP"))
                .post("/api/projects/{id}/reviews", project).then().statusCode(201).body("outcome", equalTo("APPLIED"));

        // a base version with a completed evaluation (seed 7): the plan is based on it
        String base = given().contentType(ContentType.JSON).body(Map.of("name", "base")).post("/api/projects/{id}/versions", project)
                .then().statusCode(201).extract().path("versionId");
        UUID baseEvaluation = UUID.randomUUID();
        completed(UUID.fromString(project), base, baseEvaluation, 0.60, Map.of("i", 0.9, "ii", 0.5, "iii", 0.4, "iv", 0.7, "v", 0.8));
        await("the base evaluation", () -> given().get("/api/versions/{v}/evaluations", base).then().extract().jsonPath(),
                j -> "COMPLETED".equals(j.getString("[0].status")));

        // refusals record nothing
        given().contentType(ContentType.JSON).body(Map.of("budget", items - 1)).post("/api/projects/{id}/curation-plans", project)
                .then().statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("budget"));
        given().contentType(ContentType.JSON).body(Map.of("budget", 100_001)).post("/api/projects/{id}/curation-plans", project)
                .then().statusCode(422).body("errors[0].field", equalTo("budget"));
        given().contentType(ContentType.JSON).body(Map.of("minConfidence", 1.5)).post("/api/projects/{id}/curation-plans", project)
                .then().statusCode(422).body("errors[0].field", equalTo("minConfidence"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/projects/{id}/curation-plans", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().get("/api/curation-plans/{id}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        assertEquals(0, given().get("/api/projects/{id}/curation-plans", project).then().statusCode(200).extract()
                .jsonPath().getList("$").size());

        // the plan: every action with evidence, numbered in order, within the budget
        int budget = items + 200;
        var created = given().contentType(ContentType.JSON).body(Map.of("budget", budget, "minConfidence", minConfidence))
                .post("/api/projects/{id}/curation-plans", project).then().statusCode(201).extract();
        JsonPath plan = created.jsonPath();
        String planId = plan.getString("planId");
        assertTrue(created.header("Location").endsWith("/api/curation-plans/" + planId));
        assertEquals(base, plan.getString("basedOn.versionId"));
        assertEquals(baseEvaluation.toString(), plan.getString("basedOn.evaluationId"));
        assertEquals("PROPOSED", plan.getString("status"));
        assertEquals(items, plan.getInt("items.now"));
        assertTrue(plan.getInt("items.afterPlan") <= budget);
        assertTrue(plan.getString("inputs.augmentSuggestions").startsWith("unavailable"), plan.getString("inputs.augmentSuggestions"));
        assertEquals(0.4, plan.getDouble("inputs.accuracy.iii"), 1e-9);
        List<Map<String, Object>> actions = plan.getList("actions");
        for (int i = 0; i < actions.size(); i++) {
            assertEquals(i, actions.get(i).get("index"));
            assertNotNull(actions.get(i).get("evidence"), "every action has its evidence");
            assertNotNull(actions.get(i).get("reason"));
        }
        int exclude = index(actions, a -> "EXCLUDE".equals(a.get("kind")));
        int relabel = index(actions, a -> "RELABEL".equals(a.get("kind")));
        String relabelled = (String) ((List<?>) actions.get(relabel).get("itemIds")).getFirst();
        String suggested = (String) actions.get(relabel).get("label");
        assertTrue(flagged.contains(relabelled), "a label issue of the embedding service");
        assertFalse(strange.contains(relabelled), "no outlier is relabelled");
        Map<?, ?> strongest = (Map<?, ?>) ((List<?>) ((Map<?, ?>) actions.get(relabel).get("evidence")).get("items")).getFirst();
        assertTrue(((Number) strongest.get("confidence")).doubleValue() >= minConfidence);
        List<?> excludedItems = (List<?>) actions.get(exclude).get("itemIds");
        String excluded = (String) excludedItems.getFirst();
        int augment = index(actions, a -> "AUGMENT".equals(a.get("kind")));
        // the weakest class (iii, accuracy 0.4) gets the largest share: the first AUGMENT
        assertEquals("iii", actions.get(augment).get("label"));
        assertEquals("per-class accuracy (1 - accuracy)", ((Map<?, ?>) actions.get(augment).get("evidence")).get("basis"));
        // (without its decision it would be relabelled or named for review: every label issue below the threshold is,
        // up to 20)
        assertTrue(actions.stream().noneMatch(a -> a.get("itemIds") instanceof List<?> ids && ids.contains(kept)),
                "the kept item is in no action");
        given().get("/api/projects/{id}/curation-plans", project).then().statusCode(200).body("planId", hasItem(planId));

        // apply refusals: over the quota (as evaluations), an unknown action; the plan stays PROPOSED
        given().contentType(ContentType.JSON).body(Map.of("repeats", 7, "epochs", 100)).post("/api/curation-plans/{id}/apply", planId)
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItems("repeats", "epochs"));
        given().contentType(ContentType.JSON).body(Map.of("actions", List.of(999))).post("/api/curation-plans/{id}/apply", planId)
                .then().statusCode(422).body("errors[0].field", equalTo("actions"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/curation-plans/{id}/apply", UUID.randomUUID())
                .then().statusCode(404);
        given().get("/api/curation-plans/{id}", planId).then().statusCode(200).body("status", equalTo("PROPOSED"));

        // apply the exclusion and the relabel with 1 epoch: the seed defaults to the base evaluation's
        given().contentType(ContentType.JSON).body(Map.of("epochs", 1, "actions", List.of(exclude, relabel)))
                .post("/api/curation-plans/{id}/apply", planId).then().statusCode(202).body("planId", equalTo(planId));
        given().contentType(ContentType.JSON).body(Map.of("epochs", 1)).post("/api/curation-plans/{id}/apply", planId)
                .then().statusCode(409).contentType("application/problem+json");
        JsonPath applied = await("the plan applied", () -> given().get("/api/curation-plans/{id}", planId).then().extract().jsonPath(),
                j -> !List.of("PROPOSED", "APPLYING").contains(j.getString("status")));
        assertEquals("APPLIED", applied.getString("status"), applied.prettify());
        assertEquals(List.of("EXCLUDE", "RELABEL"), applied.getList("progress.kind"));
        assertEquals(List.of("APPLIED", "APPLIED"), applied.getList("progress.status"));
        JsonPath item = given().baseUri(labelUrl).get("/api/items/{id}", relabelled).then().statusCode(200).extract().jsonPath();
        assertEquals(suggested, item.getString("label"));
        assertTrue(given().baseUri(labelUrl).get("/api/items/{id}", excluded).then().statusCode(200).extract().jsonPath()
                .getBoolean("excluded"));
        String version = applied.getString("versionId");
        String projectName = given().baseUri(labelUrl).get("/api/projects/{id}", project).then().extract().path("name");
        JsonPath v = given().get("/api/versions/{v}", version).then().statusCode(200).extract().jsonPath();
        assertEquals("plan 1 of " + projectName, v.getString("name"));
        assertEquals(items - excludedItems.size(), v.getInt("items"), "the excluded items left; the relabelled one stayed");
        given().get("/api/versions/{v}/items?size=10000", version).then().statusCode(200)
                .body("find { it.itemId == '" + relabelled + "' }.label", equalTo(suggested));
        String evaluation = applied.getString("evaluationId");
        given().get("/api/versions/{v}/evaluations", version).then().statusCode(200).body("id", hasItem(evaluation));
        EvaluationRequested requested = TopicReader.readUntil(bootstrap, Topics.DATASETS, all -> all.stream()
                        .anyMatch(r -> r.value().contains(evaluation)), Duration.ofSeconds(20)).stream()
                .filter(r -> r.value().contains(evaluation)).map(r -> (EvaluationRequested) codec.decode(r.value()).data())
                .findFirst().orElseThrow();
        assertEquals(1, requested.epochs());
        assertEquals(7L, requested.seed());
        assertNull(applied.get("effect"));

        // the trainer's result: the effect is the comparison against the base, seed 7 with seed 7
        completed(UUID.fromString(project), version, UUID.fromString(evaluation), 0.70,
                Map.of("i", 0.9, "ii", 0.6, "iii", 0.6, "iv", 0.7, "v", 0.8));
        JsonPath measured = await("the effect", () -> given().get("/api/curation-plans/{id}", planId).then().extract().jsonPath(),
                j -> j.get("effect") != null);
        assertEquals("COMPLETED", measured.getString("evaluationStatus"));
        assertEquals(1, measured.getInt("effect.pairs"));
        assertEquals(0.10, measured.getDouble("effect.val.difference"), 1e-9);
        assertEquals(0.2, measured.getDouble("effect.perClass.iii"), 1e-9);

        // a second plan whose augmentation cannot run (no augment service here) fails honestly: no version
        String second = given().contentType(ContentType.JSON).body(Map.of("budget", budget))
                .post("/api/projects/{id}/curation-plans", project).then().statusCode(201).extract().path("planId");
        JsonPath secondPlan = given().get("/api/curation-plans/{id}", second).then().extract().jsonPath();
        assertEquals(2, secondPlan.getInt("number"));
        int secondAugment = index(secondPlan.getList("actions"), a -> "AUGMENT".equals(a.get("kind")));
        given().contentType(ContentType.JSON).body(Map.of("epochs", 1, "actions", List.of(secondAugment)))
                .post("/api/curation-plans/{id}/apply", second).then().statusCode(202);
        JsonPath failed = await("the second plan to fail", () -> given().get("/api/curation-plans/{id}", second).then()
                .extract().jsonPath(), j -> "FAILED".equals(j.getString("status")));
        assertTrue(failed.getString("error").contains("AUGMENT"), failed.getString("error"));
        assertEquals(List.of("FAILED"), failed.getList("progress.status"));
        assertNull(failed.get("versionId"));
        assertEquals(2, given().get("/api/projects/{id}/versions", project).then().extract().jsonPath().getList("$").size());
    }

    // --- helpers

    private static int index(List<Map<String, Object>> actions, Predicate<Map<String, Object>> which) {
        return actions.stream().filter(which).map(a -> (Integer) a.get("index")).findFirst()
                .orElseThrow(() -> new AssertionError("no such action in " + actions));
    }

    /** A completed one-seed evaluation (seed 7), as the trainer reports it. */
    private void completed(UUID project, String version, UUID id, double val, Map<String, Double> perClass) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("seed", 7L);
        metrics.put("valAccuracy", val);
        metrics.put("perClass", perClass);
        metrics.put("classes", List.of("i", "ii", "iii", "iv", "v"));
        List<List<Integer>> confusion = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<Integer> row = new ArrayList<>(List.of(0, 0, 0, 0, 0));
            row.set(i, 3);
            confusion.add(row);
        }
        confusion.get(2).set(1, 2); // iii read as ii
        metrics.put("confusion", confusion);
        Instant now = Instant.now();
        ModelEvaluated event = new ModelEvaluated(project, UUID.fromString(version), id, EvaluationStatus.COMPLETED, 1, 1,
                metrics, null, now, now, now);
        LoupeClient.send(bootstrap, Topics.EVALUATIONS, id.toString(),
                codec.encode(dev.loupe.events.EventEnvelope.wrap(UUID.randomUUID(), "trainer-test", now, 0, event)));
    }

    static JsonPath await(String what, java.util.function.Supplier<JsonPath> read, Predicate<JsonPath> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = read.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException notYet) {
                // not there yet (404, or a field still missing)
            }
            Thread.sleep(300);
        }
        throw new AssertionError(what + " never happened: " + (last == null ? null : last.prettify()));
    }
}
