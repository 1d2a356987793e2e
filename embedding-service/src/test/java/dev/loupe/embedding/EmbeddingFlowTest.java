package dev.loupe.embedding;

import dev.loupe.events.EmbeddingsUpdated;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.ItemAdded;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class EmbeddingFlowTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final EventCodec codec = new EventCodec();

    @Test
    void importedItemsAreEmbeddedMappedAndAnswerNeighboursAndFindings() throws IOException {
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 12, 0.25, 0, 0, 5)).generate();
        String project = importProject(samples);
        JsonPath status = awaitStatus(project, s -> s.getLong("embedded") == 120);
        assertEquals(0, status.getLong("pending"));
        assertTrue(status.getString("embedder").startsWith("loupe-glyphnet"), status.getString("embedder"));

        io.restassured.response.Response mapResponse = given().header("Accept-Encoding", "gzip")
                .get("/api/projects/{id}/map", project).then().statusCode(200).header("Content-Encoding", "gzip")
                .header("Vary", "Accept-Encoding").extract().response();
        // serialized once per change: the ETag answers a page that has the map already with 304
        String mapTag = mapResponse.header("ETag");
        assertTrue(mapTag != null && mapTag.startsWith("\""), "the map has an ETag: " + mapTag);
        given().header("If-None-Match", mapTag).get("/api/projects/{id}/map", project).then().statusCode(304);
        given().header("If-None-Match", "\"another\"").get("/api/projects/{id}/map", project).then().statusCode(200);
        JsonPath map = mapResponse.jsonPath();
        assertEquals(120, map.getList("itemIds").size());
        assertEquals(120, map.getList("x").size());
        assertTrue(map.getLong("mapVersion") >= 1);
        assertTrue(map.getList("x", Double.class).stream().allMatch(Double::isFinite));

        // same-style neighbours: most of an item's nearest neighbours carry its numeral
        String item = map.getString("itemIds[0]");
        String label = map.getString("labels[0]");
        List<String> neighbourLabels = given().queryParam("k", 5).get("/api/items/{id}/neighbors", item)
                .then().statusCode(200).extract().jsonPath().getList("label");
        assertEquals(5, neighbourLabels.size());
        assertTrue(neighbourLabels.stream().filter(label::equals).count() >= 3, label + " vs " + neighbourLabels);

        given().get("/api/projects/{id}/findings", project).then().statusCode(200)
                .body("shift.trainVsValAuc", org.hamcrest.Matchers.notNullValue());
        given().queryParam("type", "duplicate").get("/api/projects/{id}/findings", project).then().statusCode(200)
                .body("shift", org.hamcrest.Matchers.nullValue())
                .body("findings.type", org.hamcrest.Matchers.everyItem(equalTo("duplicate")));
        List<Map<String, Object>> clusters = given().get("/api/projects/{id}/clusters", project).then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(120, clusters.size());
    }

    @Test
    void aLabelChangeIsAnnouncedWithRefreshedFindingsAndADuplicateDeliveryIsAppliedOnce() throws IOException {
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 8, 0.25, 0, 0, 9)).generate();
        String project = importProject(samples);
        awaitStatus(project, s -> s.getLong("embedded") == 80);

        // relabel a clear "x" as "i": the findings must then suggest "x" for it. Clear: the "x" nearest to the other
        // ones (an item is flagged when the classifier's probability of "x" for it reaches the mean of the items
        // labelled "x", which an "x" of an odd style may not)
        List<String> xs = given().baseUri(labelUrl).queryParam("label", "x").queryParam("size", 100)
                .get("/api/projects/{id}/items", project).then().extract().jsonPath().getList("items.id");
        String itemId = xs.stream().min(java.util.Comparator.comparingDouble(id -> oddness(id, "x"))).orElseThrow();
        String mapTag = given().get("/api/projects/{id}/map", project).then().statusCode(200).extract().header("ETag");
        given().baseUri(labelUrl).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Map.of("label", "i", "reason", "test")).put("/api/items/{id}/label", itemId)
                .then().statusCode(200);

        EmbeddingsUpdated update = awaitEmbeddingsUpdated(project, e -> e.itemIds().contains(UUID.fromString(itemId)));
        assertTrue(update.labelsSeen() > 0);
        // the announcement and the in-memory refresh both follow the commit, so a reader may be a moment early
        List<Map<String, Object>> issues = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && issues.stream().noneMatch(f -> ((List<?>) f.get("itemIds")).contains(itemId))) {
            issues = given().queryParam("type", "label-issue").get("/api/projects/{id}/findings", project)
                    .then().statusCode(200).extract().jsonPath().getList("findings");
            sleepQuietly(200);
        }
        List<Map<String, Object>> found = issues;
        Map<String, Object> mine = found.stream().filter(f -> ((List<?>) f.get("itemIds")).contains(itemId)).findFirst()
                .orElseThrow(() -> new AssertionError("no label issue for the relabelled item: " + found));
        assertEquals("x", ((Map<?, ?>) mine.get("evidence")).get("suggestedLabel"));
        assertEquals("i", ((Map<?, ?>) mine.get("evidence")).get("givenLabel"));
        JsonPath map = given().header("If-None-Match", mapTag).get("/api/projects/{id}/map", project).then()
                .statusCode(200).extract().jsonPath();
        assertEquals("i", map.getString("labels[" + map.getList("itemIds").indexOf(itemId) + "]"),
                "map colour follows the label (a relabel is a change: the old ETag no longer matches)");

        // the same ItemAdded delivered again changes nothing
        var record = TopicReader.readUntil(bootstrap, Topics.ITEMS,
                all -> all.stream().anyMatch(r -> itemId.equals(r.key())), Duration.ofSeconds(20))
                .stream().filter(r -> itemId.equals(r.key())).findFirst().orElseThrow();
        long updatesBefore = embeddingsUpdates(project).size();
        send(record.key(), record.value());
        // same key, so same partition: once the garbage is dead-lettered, the duplicate before it was handled
        send(itemId, "{not an event");
        var dead = TopicReader.readUntil(bootstrap, Topics.deadLetter(Topics.ITEMS, "embedding-service"),
                all -> all.stream().anyMatch(r -> itemId.equals(r.key())), Duration.ofSeconds(30));
        assertTrue(dead.stream().anyMatch(r -> itemId.equals(r.key()) && r.value().equals("{not an event")),
                "malformed event dead-lettered");
        given().get("/api/projects/{id}/embeddings/status", project).then().body("items", equalTo(80));
        assertEquals(updatesBefore, embeddingsUpdates(project).size(), "a redelivered event must not be applied again");
    }

    @Test
    void anExcludedItemLeavesTheMapAndNeighboursAndComesBackWhenRestored() throws IOException {
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 4, 0.25, 0, 0, 21)).generate();
        String project = importProject(samples);
        awaitStatus(project, s -> s.getLong("embedded") == 40);
        JsonPath map = given().get("/api/projects/{id}/map", project).then().statusCode(200).extract().jsonPath();
        String itemId = map.getString("itemIds[0]");
        String other = map.getString("itemIds[1]");

        given().baseUri(labelUrl).header("If-Match", "\"1\"").queryParam("reason", "blank")
                .delete("/api/items/{id}", itemId).then().statusCode(200);
        awaitMap(project, ids -> ids.size() == 39 && !ids.contains(itemId));
        List<String> neighbours = given().queryParam("k", 39).get("/api/items/{id}/neighbors", other)
                .then().statusCode(200).extract().jsonPath().getList("itemId");
        assertEquals(38, neighbours.size());
        assertTrue(!neighbours.contains(itemId), "an excluded item is nobody's neighbour");
        given().get("/api/items/{id}/neighbors", itemId).then().statusCode(409);

        given().baseUri(labelUrl).header("If-Match", "\"2\"").contentType(ContentType.JSON).body(Map.of("reason", "fine"))
                .post("/api/items/{id}/restore", itemId).then().statusCode(200);
        awaitMap(project, ids -> ids.size() == 40 && ids.contains(itemId));
        given().queryParam("k", 3).get("/api/items/{id}/neighbors", itemId).then().statusCode(200);
    }

    private void awaitMap(String project, Predicate<List<String>> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> ids = List.of();
        while (System.nanoTime() < deadline) {
            ids = given().get("/api/projects/{id}/map", project).then().statusCode(200).extract().jsonPath().getList("itemIds");
            if (condition.test(ids)) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("map never reached the expected items: " + ids.size() + " items");
    }

    @Test
    void anImageThatCannotBeFetchedFailsWithItsReasonAfterBoundedRetries() {
        UUID project = UUID.randomUUID();
        UUID item = UUID.randomUUID();
        var added = new ItemAdded(project, item, 1, "ab".repeat(32), "v", "train", "train/v/ghost.png", "original",
                null, "test", Instant.now());
        send(item.toString(), codec.encode(EventEnvelope.wrap(UUID.randomUUID(), "label-service", Instant.now(), 1, added)));
        awaitStatus(project.toString(), s -> s.getLong("failed") == 1);
        JsonPath failed = given().queryParam("type", "failed").get("/api/projects/{id}/findings", project)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(item.toString(), failed.getString("findings[0].itemIds[0]"));
        assertTrue(failed.getString("findings[0].evidence.reason").contains("image not available"), failed.prettify());
    }

    @Test
    void aTrainedModelsPredictionsAreASecondSignalForLabelIssuesAndBadSetsChangeNothing() throws IOException {
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 8, 0.25, 0, 0, 21)).generate();
        String project = importProject(samples);
        awaitStatus(project, s -> s.getLong("embedded") == 80);
        JsonPath map = given().get("/api/projects/{id}/map", project).then().statusCode(200).extract().jsonPath();
        List<String> ids = map.getList("itemIds");
        List<String> labels = map.getList("labels");
        String suspect = ids.get(labels.indexOf("i"));
        given().get("/api/projects/{id}/model-predictions", project).then().statusCode(404);
        // only the trainer service hands predictions over
        String trainer = ServiceTokens.bearer(labelUrl, "trainer");

        // the model is fairly sure of every label but one: it puts the suspect "i" at "vii"
        List<String> classes = SyntheticSpec.ROMAN_I_TO_X;
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            float[] p = new float[classes.size()];
            java.util.Arrays.fill(p, 0.4f / (classes.size() - 1));
            if (ids.get(i).equals(suspect)) {
                java.util.Arrays.fill(p, 0.01f / (classes.size() - 1));
                p[classes.indexOf("vii")] = 0.99f;
            } else {
                p[classes.indexOf(labels.get(i))] = 0.6f;
            }
            items.add(Map.of("itemId", ids.get(i), "probabilities", p));
        }
        UUID evaluation = UUID.randomUUID();
        Map<String, Object> set = Map.of("versionId", UUID.randomUUID(), "evaluationId", evaluation, "model", "test-model",
                "classes", classes, "items", items);
        given().header("Authorization", trainer).contentType(ContentType.JSON).body(set).put("/api/projects/{id}/model-predictions", project).then()
                .statusCode(200).body("items", equalTo(80)).body("evaluationId", equalTo(evaluation.toString()));
        JsonPath findings = given().queryParam("type", "label-issue").get("/api/projects/{id}/findings", project).then()
                .statusCode(200).extract().jsonPath();
        List<Map<String, Object>> issues = findings.getList("findings");
        Map<String, Object> flagged = issues.stream().filter(f -> ((List<?>) f.get("itemIds")).contains(suspect)).findFirst()
                .orElseThrow(() -> new AssertionError("the model's suspect is a finding: " + findings.prettify()));
        @SuppressWarnings("unchecked")
        Map<String, Object> evidence = (Map<String, Object>) flagged.get("evidence");
        assertEquals("vii", evidence.get("suggestedLabel"));
        assertEquals("vii", evidence.get("modelLabel"));
        assertEquals(List.of("embeddings", "model"), evidence.get("signals"));
        assertEquals(evaluation.toString(), evidence.get("modelEvaluationId"));

        // bad sets are refused with the field named, and the stored set stays
        Map<String, Object> wrongLength = Map.of("classes", classes, "items", List.of(Map.of("itemId", ids.get(0),
                "probabilities", new float[] {0.5f, 0.5f})));
        given().header("Authorization", trainer).contentType(ContentType.JSON).body(wrongLength).put("/api/projects/{id}/model-predictions", project).then()
                .statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("items[0].probabilities"));
        float[] uniform = new float[classes.size()];
        java.util.Arrays.fill(uniform, 1f / classes.size());
        given().header("Authorization", trainer).contentType(ContentType.JSON).body(Map.of("classes", classes, "items", List.of(Map.of("itemId",
                        UUID.randomUUID(), "probabilities", uniform))))
                .put("/api/projects/{id}/model-predictions", project).then().statusCode(422)
                .body("errors[0].field", equalTo("items[0].itemId"));
        float[] notOne = uniform.clone();
        notOne[0] = 0.9f;
        given().header("Authorization", trainer).contentType(ContentType.JSON).body(Map.of("classes", classes, "items", List.of(Map.of("itemId", ids.get(0),
                        "probabilities", notOne))))
                .put("/api/projects/{id}/model-predictions", project).then().statusCode(422)
                .body("errors[0].field", equalTo("items[0].probabilities"));
        given().header("Authorization", trainer).contentType(ContentType.JSON).body(Map.of("classes", List.of("i"), "items", List.of()))
                .put("/api/projects/{id}/model-predictions", project).then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItems("classes", "items"));
        given().header("Authorization", trainer).contentType(ContentType.JSON).body(set).put("/api/projects/{id}/model-predictions", UUID.randomUUID()).then()
                .statusCode(404);
        given().get("/api/projects/{id}/model-predictions", project).then().statusCode(200)
                .body("evaluationId", equalTo(evaluation.toString())).body("items", equalTo(80));

        // withdrawn: the finder is back to the embeddings alone
        given().delete("/api/projects/{id}/model-predictions", project).then().statusCode(204);
        List<List<String>> signals = given().queryParam("type", "label-issue").get("/api/projects/{id}/findings", project)
                .then().statusCode(200).extract().jsonPath().getList("findings.evidence.signals");
        signals.forEach(s -> assertEquals(List.of("embeddings"), s));
        given().delete("/api/projects/{id}/model-predictions", project).then().statusCode(404);
    }

    @Test
    void unknownProjectsAndItemsAndBadParametersAreProblems() {
        given().get("/api/projects/{id}/embeddings/status", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/items/{id}/neighbors", UUID.randomUUID()).then().statusCode(404);
        given().queryParam("k", 0).get("/api/items/{id}/neighbors", UUID.randomUUID()).then().statusCode(422)
                .body("errors[0].field", equalTo("k"));
        given().queryParam("type", "gossip").get("/api/projects/{id}/findings", UUID.randomUUID()).then().statusCode(422)
                .body("errors[0].field", equalTo("type"));
    }

    private String importProject(List<Sample> samples) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        return LoupeClient.importZip(labelUrl, "emb", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
    }

    private JsonPath awaitStatus(String project, Predicate<JsonPath> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (true) {
            var response = given().get("/api/projects/{id}/embeddings/status", project);
            if (response.statusCode() == 200) {
                JsonPath status = response.jsonPath();
                if (done.test(status)) {
                    return status;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("status never got there: " + status.prettify());
                }
            } else if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("status answered " + response.statusCode());
            }
            sleep(200);
        }
    }

    private EmbeddingsUpdated awaitEmbeddingsUpdated(String project, Predicate<EmbeddingsUpdated> match) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            for (EmbeddingsUpdated update : embeddingsUpdates(project)) {
                if (match.test(update)) {
                    return update;
                }
            }
            sleep(300);
        }
        throw new AssertionError("no matching EmbeddingsUpdated for project " + project);
    }

    private List<EmbeddingsUpdated> embeddingsUpdates(String project) {
        return TopicReader.readUntil(bootstrap, Topics.EMBEDDINGS, all -> false, Duration.ofSeconds(2)).stream()
                .filter(r -> project.equals(r.key()))
                .map(r -> codec.decode(r.value()))
                .map(EventEnvelope::data)
                .map(EmbeddingsUpdated.class::cast)
                .toList();
    }

    private void send(String key, String value) {
        LoupeClient.send(bootstrap, Topics.ITEMS, key, value);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }


    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How far an item is from its class: the distances to its 5 nearest neighbours, one of another class counting 2. */
    private static double oddness(String itemId, String label) {
        List<Map<String, Object>> near = given().queryParam("k", 5).get("/api/items/{id}/neighbors", itemId).then()
                .statusCode(200).extract().jsonPath().getList("$");
        return near.stream().mapToDouble(n -> label.equals(n.get("label")) ? ((Number) n.get("distance")).doubleValue() : 2.0).sum();
    }
}
