package dev.loupe.dataset;

import dev.loupe.events.DatasetVersionPublished;
import dev.loupe.events.EvaluationRequested;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EvaluationStatus;
import dev.loupe.events.ModelEvaluated;
import dev.loupe.events.SplitRefreshed;
import dev.loupe.events.Topics;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.TestAuth;
import dev.loupe.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class DatasetFlowTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final EventCodec codec = new EventCodec();

    @Test
    void anImportGetsAStratifiedSplitAndALabelChangeIsInTheNextSplitMovingLittle() throws Exception {
        String project = importProject(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 10, 0.2, 0, 0, 3));
        JsonPath split = awaitSplit(project, s -> total(s) == 100);
        for (String c : SyntheticSpec.ROMAN_I_TO_X) {
            assertEquals(2, split.getInt("counts.val." + c), "val of " + c);
            assertEquals(8, split.getInt("counts.train." + c), "train of " + c);
        }
        assertEquals("stratified", split.getString("strategy"));

        // relabel one val item of "i" as "ii": the caller waits for the split that includes its change
        String itemId = given().queryParam("side", "val").queryParam("label", "i").get("/api/projects/{id}/split/items", project)
                .then().statusCode(200).extract().path("items[0].itemId");
        long version = relabel(itemId, 1, "ii");
        JsonPath after = given().queryParam("itemId", itemId).queryParam("minVersion", version).queryParam("wait", 20)
                .get("/api/projects/{id}/split", project).then().statusCode(200).extract().jsonPath();
        assertTrue(after.getBoolean("reached"));
        given().queryParam("itemId", itemId).get("/api/projects/{id}/split/items", project).then()
                .body("items[0].label", equalTo("ii")).body("items[0].itemVersion", equalTo((int) version));
        // "i" has 9 items now (val target 2), "ii" 11 (target 2): one item of "i" moves to val, one of "ii" to train
        assertEquals(2, after.getInt("counts.val.i"));
        assertEquals(2, after.getInt("counts.val.ii"));
        SplitRefreshed refreshed = awaitSplitEvent(project, e -> e.splitVersion() == after.getLong("splitVersion"));
        assertTrue(refreshed.movedCount() <= 3, "moved " + refreshed.moved());
        assertEquals(0, refreshed.newlyAssigned());
        assertEquals(after.getLong("labelsSeen"), refreshed.labelsSeen());

        // excluded: out of the split at once
        given().baseUri(labelUrl).header("If-Match", "\"" + version + "\"").queryParam("reason", "test")
                .delete("/api/items/{id}", itemId).then().statusCode(200);
        JsonPath excluded = given().queryParam("itemId", itemId).queryParam("minVersion", version + 1).queryParam("wait", 20)
                .get("/api/projects/{id}/split", project).then().statusCode(200).extract().jsonPath();
        assertTrue(excluded.getBoolean("reached"));
        assertEquals(99, total(excluded));
        given().queryParam("itemId", itemId).get("/api/projects/{id}/split/items", project).then().body("total", equalTo(0));
    }

    @Test
    void aBulkRelabelIsOneRefreshAndARedeliveredEventChangesNothing() throws Exception {
        String project = importProject(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 8, 0.25, 0, 0, 4));
        awaitSplit(project, s -> total(s) == 80);
        List<Map<String, Object>> items = given().baseUri(labelUrl).queryParam("label", "v").queryParam("size", 8)
                .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getList("items");
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Map<String, Object> item : items) {
            changes.add(Map.of("itemId", item.get("id"), "version", item.get("version"), "label", "vi"));
        }
        long before = given().get("/api/projects/{id}/split", project).then().extract().jsonPath().getLong("splitVersion");
        given().baseUri(labelUrl).contentType(ContentType.JSON).body(Map.of("reason", "v are vi", "changes", changes))
                .post("/api/projects/{id}/relabels", project).then().statusCode(200);
        String last = (String) items.getLast().get("id");
        JsonPath split = given().queryParam("itemId", last).queryParam("minVersion", 2).queryParam("wait", 20)
                .get("/api/projects/{id}/split", project).then().statusCode(200).extract().jsonPath();
        awaitSplit(project, s -> s.getBoolean("current") && s.get("counts.train.v") == null && s.get("counts.val.v") == null);
        JsonPath settled = given().get("/api/projects/{id}/split", project).then().extract().jsonPath();
        assertEquals(16, settled.getInt("counts.train.vi") + settled.getInt("counts.val.vi"));
        // the default split sends 0.2 of 80 = 16 items to val; "vi" has 16 of 80 items: 3.2, so 3
        assertEquals(3, settled.getInt("counts.val.vi"));
        assertEquals(16, settled.getMap("counts.val").values().stream().mapToInt(v -> (Integer) v).sum());
        assertTrue(settled.getLong("splitVersion") - before <= 3, "a burst of 8 changes: " + (settled.getLong("splitVersion") - before)
                + " refreshes (first at " + split.getLong("splitVersion") + ")");

        // the same ItemLabelChanged delivered again: no refresh. First let the embedding service's own updates for
        // the relabel (new styles) settle, so that any later refresh could only come from the duplicate.
        long quiet = awaitQuiet(project);
        var record = TopicReader.readUntil(bootstrap, Topics.ITEMS,
                        all -> all.stream().anyMatch(r -> last.equals(r.key()) && r.value().contains("label-changed")),
                        Duration.ofSeconds(20))
                .stream().filter(r -> last.equals(r.key()) && r.value().contains("label-changed")).findFirst().orElseThrow();
        send(record.key(), record.value());
        send(last, "{not an event");
        TopicReader.readUntil(bootstrap, Topics.deadLetter(Topics.ITEMS, "dataset-service"),
                all -> all.stream().anyMatch(r -> last.equals(r.key())), Duration.ofSeconds(30));
        Thread.sleep(1000); // longer than the refresh debounce
        assertEquals(quiet, given().get("/api/projects/{id}/split", project).then().extract().jsonPath().getLong("splitVersion"));
    }

    @Test
    void theConfigurationIsValidatedVersionedAndAppliedFromScratch() throws Exception {
        String project = importProject(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 10, 0.2, 0, 0, 5));
        awaitSplit(project, s -> total(s) == 100);
        String etag = given().get("/api/projects/{id}/split/config", project).then().statusCode(200)
                .body("strategy", equalTo("stratified")).extract().header("ETag");

        Map<String, Object> bad = new HashMap<>(Map.of("strategy", "alphabetical", "valFraction", 1.5, "maxItems", 0));
        given().contentType(ContentType.JSON).header("If-Match", etag).body(bad).put("/api/projects/{id}/split/config", project)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("strategy")).body("errors.field", hasItem("valFraction"))
                .body("errors.field", hasItem("maxItems"));
        Map<String, Object> good = Map.of("strategy", "style-balanced", "valFraction", 0.3, "seed", 9, "maxItems", 50);
        given().contentType(ContentType.JSON).body(good).put("/api/projects/{id}/split/config", project).then().statusCode(428);
        given().contentType(ContentType.JSON).header("If-Match", "\"99\"").body(good)
                .put("/api/projects/{id}/split/config", project).then().statusCode(412);
        given().get("/api/projects/{id}/split/config", project).then().body("strategy", equalTo("stratified")).header("ETag", etag);

        given().contentType(ContentType.JSON).header("If-Match", etag).body(good).put("/api/projects/{id}/split/config", project)
                .then().statusCode(200).body("strategy", equalTo("style-balanced")).body("maxItems", equalTo(50));
        JsonPath split = awaitSplit(project, s -> s.getString("strategy").equals("style-balanced") && total(s) == 50);
        assertEquals(50, split.getInt("leftOut"));
        int val = split.getMap("counts.val").values().stream().mapToInt(v -> (Integer) v).sum();
        assertEquals(15, val, "0.3 of 50");

        given().get("/api/projects/{id}/split", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().queryParam("wait", 100000).queryParam("minLabelsSeen", 1).get("/api/projects/{id}/split", project)
                .then().statusCode(422).body("errors[0].field", equalTo("wait"));
        given().queryParam("side", "test").get("/api/projects/{id}/split/items", project)
                .then().statusCode(422).body("errors[0].field", equalTo("side"));
        given().contentType(ContentType.JSON).header("If-Match", "*").body("{\"strategy\": ")
                .put("/api/projects/{id}/split/config", project).then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"valFraction\": \"a lot\"}").header("If-Match", "*")
                .put("/api/projects/{id}/split/config", project).then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[1,2]").post("/api/projects/{id}/versions", project)
                .then().statusCode(400).contentType("application/problem+json");
        given().get("/api/projects/not-a-uuid/split").then().statusCode(404);
        given().queryParam("itemId", "x").queryParam("wait", 1).get("/api/projects/{id}/split", project)
                .then().statusCode(422).body("errors[0].field", equalTo("itemId"));
        // none of these changed the configuration
        given().get("/api/projects/{id}/split/config", project).then().body("strategy", equalTo("style-balanced"))
                .body("maxItems", equalTo(50));
    }

    @Test
    void anAugmentedCopyOfAValItemTrainsAndTakesItsParentAlong() throws Exception {
        String project = importProject(new SyntheticSpec(List.of("i", "ii"), 10, 0.2, 0, 0, 8));
        awaitSplit(project, s -> total(s) == 20);
        String parent = given().queryParam("side", "val").queryParam("label", "i").get("/api/projects/{id}/split/items", project)
                .then().statusCode(200).extract().path("items[0].itemId");
        byte[] image = given().baseUri(labelUrl).get("/api/items/{id}/image", parent).then().statusCode(200).extract().asByteArray();
        String copy = given().baseUri(labelUrl).multiPart("image", "copy.png", image, "image/png")
                .multiPart("label", "i").multiPart("source", "augmented")
                .multiPart("provenance", "{\"parents\":[{\"itemId\":\"" + parent + "\",\"version\":1}],"
                        + "\"operations\":[{\"op\":\"mirror-lr\"}],\"seed\":1}")
                .post("/api/projects/{id}/items", project).then().statusCode(201).extract().path("id");
        JsonPath split = given().queryParam("itemId", copy).queryParam("wait", 20).get("/api/projects/{id}/split", project)
                .then().statusCode(200).extract().jsonPath();
        assertTrue(split.getBoolean("reached"));
        for (String id : List.of(copy, parent)) {
            given().queryParam("itemId", id).get("/api/projects/{id}/split/items", project).then()
                    .body("items[0].side", equalTo("train"));
        }
        // operators see how long refreshes take
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("(?m)^loupe_dataset_split_refresh_seconds_count(?:\\{[^}]*})? ([0-9.eE+]+)$")
                .matcher(metrics);
        assertTrue(count.find() && Double.parseDouble(count.group(1)) >= 2, "refreshes timed");
        // val is still 2 of the 10 original images of "i", refilled with another original
        assertEquals(2, split.getInt("counts.val.i"));
        assertEquals(9, split.getInt("counts.train.i"));
    }

    @Test
    void aVersionIsFrozenExportedAndComparedAndAnnounced() throws Exception {
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(List.of("i", "ii", "iii"), 6, 0.34, 0, 0, 6)).generate();
        String project = importProject(samples);
        awaitSplit(project, s -> total(s) == 18);

        String location = given().contentType(ContentType.JSON).header("Loupe-User", "ana")
                .body(Map.of("name", "round-1", "note", "first clean-up")).post("/api/projects/{id}/versions", project)
                // the audit names the authenticated caller: Loupe-User counts only from a trusted proxy
                .then().statusCode(201).body("items", equalTo(18)).body("createdBy", equalTo(TestAuth.ADMIN))
                .extract().header("Location");
        JsonPath v1 = given().get(location).then().statusCode(200).extract().jsonPath();
        String v1Id = v1.getString("versionId");
        given().contentType(ContentType.JSON).body(Map.of("name", "round-1")).post("/api/projects/{id}/versions", project)
                .then().statusCode(409);
        given().contentType(ContentType.JSON).body(Map.of("note", "no name")).post("/api/projects/{id}/versions", project)
                .then().statusCode(422).body("errors[0].field", equalTo("name"));
        // same content, same hash
        String same = given().contentType(ContentType.JSON).body(Map.of("name", "round-1-again"))
                .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("contentHash");
        assertEquals(v1.getString("contentHash"), same);

        // the export: every image under <side>/<class>/, bytes as imported, and a manifest naming each
        byte[] zip = given().queryParam("format", "imagefolder").get("/api/versions/{v}/export", v1Id).then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        Map<String, byte[]> entries = unzip(zip);
        assertEquals(19, entries.size());
        String manifest = new String(entries.get("manifest.csv"), StandardCharsets.UTF_8);
        String[] lines = manifest.split("\n");
        assertEquals("path,label,split,sha256,item_id,source,original_path,provenance", lines[0]);
        assertEquals(19, lines.length);
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            byte[] image = entries.get(cells[0]);
            assertTrue(image != null, "missing " + cells[0]);
            assertTrue(cells[0].startsWith(cells[2] + "/" + cells[1] + "/"), cells[0]);
            assertEquals(cells[3], HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)));
        }
        String csv = given().queryParam("format", "csv").get("/api/versions/{v}/export", v1Id).then().statusCode(200)
                .extract().asString();
        assertEquals(manifest, csv);

        // relabel one item, freeze again, and compare
        Map<String, Object> item = given().baseUri(labelUrl).queryParam("label", "iii").queryParam("size", 1)
                .get("/api/projects/{id}/items", project).then().extract().jsonPath().getMap("items[0]");
        String itemId = (String) item.get("id");
        long version = relabel(itemId, ((Number) item.get("version")).longValue(), "ii");
        // a version that must include a change the split has not seen (yet) is refused, and nothing is created
        given().contentType(ContentType.JSON).body(Map.of("name", "too-early")).queryParam("itemId", itemId)
                .queryParam("minVersion", version + 100).queryParam("wait", 0)
                .post("/api/projects/{id}/versions", project).then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("itemId"));
        given().contentType(ContentType.JSON).body(Map.of("name", "bad-wait")).queryParam("itemId", itemId)
                .queryParam("wait", -1).post("/api/projects/{id}/versions", project).then().statusCode(422)
                .body("errors[0].field", equalTo("wait"));
        // the relabel is in the next version because the request asks for it, not because the event happened to be fast
        String v2Id = given().contentType(ContentType.JSON).body(Map.of("name", "round-2")).queryParam("itemId", itemId)
                .queryParam("minVersion", version).queryParam("wait", 20)
                .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("versionId");
        assertNotEquals(v1.getString("contentHash"), given().get("/api/versions/{v}", v2Id).then().extract().path("contentHash"));
        JsonPath diff = given().queryParam("against", v1Id).get("/api/versions/{v}/diff", v2Id).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(itemId), diff.getList("relabelled.itemId"));
        assertEquals("iii", diff.getString("relabelled[0].from"));
        assertEquals("ii", diff.getString("relabelled[0].to"));
        assertEquals(0, diff.getList("added").size());
        assertTrue(version >= 2);

        List<DatasetVersionPublished> published = TopicReader.readUntil(bootstrap, Topics.DATASETS,
                        all -> all.stream().filter(r -> project.equals(r.key())).count() >= 3, Duration.ofSeconds(20)).stream()
                .filter(r -> project.equals(r.key())).map(r -> (DatasetVersionPublished) codec.decode(r.value()).data()).toList();
        assertEquals(List.of("round-1", "round-1-again", "round-2"), published.stream().map(DatasetVersionPublished::name).toList());
        assertEquals(v2Id, published.getLast().versionId().toString());

        given().get("/api/versions/{v}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/versions/{v}/export", UUID.randomUUID()).then().statusCode(404);
        given().queryParam("format", "tfrecord").get("/api/versions/{v}/export", v1Id).then().statusCode(422)
                .body("errors[0].field", equalTo("format"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/projects/{id}/versions", UUID.randomUUID())
                .then().statusCode(404);
        assertEquals(3, given().get("/api/projects/{id}/versions", project).then().statusCode(200).extract().jsonPath()
                .getList("$").size());
    }

    @Test
    void evaluationsAreRequestedOverRestAndRecordedFromTheTrainersEvents() throws Exception {
        String project = importProject(new SyntheticSpec(List.of("i", "ii"), 10, 0.2, 0, 0, 31));
        awaitSplit(project, s -> total(s) == 20);
        String version = given().contentType(ContentType.JSON).body(Map.of("name", "eval-1"))
                .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("versionId");

        // a request is queued and announced for the trainer
        JsonPath queued = given().contentType(ContentType.JSON).header("Loupe-User", "ana").body(Map.of("epochs", 5, "seed", 7, "folds", 3))
                .post("/api/versions/{v}/evaluations", version).then().statusCode(202).body("status", equalTo("QUEUED"))
                .extract().jsonPath();
        String evaluation = queued.getString("id");
        EvaluationRequested requested = TopicReader.readUntil(bootstrap, Topics.DATASETS, all -> all.stream()
                        .anyMatch(r -> r.value().contains(evaluation)), Duration.ofSeconds(20)).stream()
                .filter(r -> r.value().contains(evaluation)).map(r -> (EvaluationRequested) codec.decode(r.value()).data())
                .findFirst().orElseThrow();
        assertEquals(version, requested.versionId().toString());
        assertEquals(5, requested.epochs());
        assertEquals(7L, requested.seed());
        assertEquals(3, requested.folds());
        assertEquals(TestAuth.ADMIN, requested.by(), "the caller, not the Loupe-User header of an untrusted client");

        // the trainer's states arrive (out of order too: an older state never replaces a newer one)
        UUID id = UUID.fromString(evaluation);
        UUID v = UUID.fromString(version);
        UUID p = UUID.fromString(project);
        Instant now = Instant.now();
        sendEvaluated(new ModelEvaluated(p, v, id, EvaluationStatus.RUNNING, 2, 5, Map.of("valAccuracy", 0.5), null, now, null, now));
        sendEvaluated(new ModelEvaluated(p, v, id, EvaluationStatus.COMPLETED, 5, 5, Map.of("valAccuracy", 0.75,
                "perClass", Map.of("i", 1.0, "ii", 0.5)), null, now, now.plusSeconds(9), now.plusSeconds(9)));
        sendEvaluated(new ModelEvaluated(p, v, id, EvaluationStatus.RUNNING, 3, 5, Map.of("valAccuracy", 0.6), null, now, null, now));
        JsonPath done = awaitEvaluation(version, e -> e.getString("[0].status").equals("COMPLETED"));
        assertEquals(0.75, done.getDouble("[0].metrics.valAccuracy"));
        assertEquals(0.5, done.getDouble("[0].metrics.perClass.ii"));
        assertEquals(5, done.getInt("[0].epoch"));
        assertEquals(TestAuth.ADMIN, done.getString("[0].requestedBy"));
        Thread.sleep(1000); // the late RUNNING state has been consumed by now: still COMPLETED
        given().get("/api/versions/{v}/evaluations", version).then().body("[0].status", equalTo("COMPLETED"));

        // an evaluation the trainer started by itself (on DatasetVersionPublished) is recorded as it reports
        UUID auto = UUID.randomUUID();
        sendEvaluated(new ModelEvaluated(p, v, auto, EvaluationStatus.FAILED, 0, 100, Map.of(), "no validation items", now, now, now));
        awaitEvaluation(version, e -> e.getList("id").contains(auto.toString()));

        given().contentType(ContentType.JSON).body("{}").post("/api/versions/{v}/evaluations", UUID.randomUUID()).then()
                .statusCode(404).contentType("application/problem+json");
        given().get("/api/versions/{v}/evaluations", UUID.randomUUID()).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("epochs", 0)).post("/api/versions/{v}/evaluations", version)
                .then().statusCode(422).body("errors[0].field", equalTo("epochs"));
        given().contentType(ContentType.JSON).body(Map.of("folds", 1)).post("/api/versions/{v}/evaluations", version)
                .then().statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("folds"));
        // a version without validation items cannot be scored
        given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("strategy", "stratified", "valFraction", 0.01, "seed", 1))
                .put("/api/projects/{id}/split/config", project).then().statusCode(200);
        awaitSplit(project, s -> total(s) == 20 && s.getMap("counts.val").isEmpty() && s.getDouble("valFraction") == 0.01);
        String noVal = given().contentType(ContentType.JSON).body(Map.of("name", "eval-no-val"))
                .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("versionId");
        given().contentType(ContentType.JSON).body("{}").post("/api/versions/{v}/evaluations", noVal).then().statusCode(422)
                .body("errors[0].field", equalTo("versionId"));
        assertEquals(2, given().get("/api/versions/{v}/evaluations", version).then().extract().jsonPath().getList("$").size());

        // quotas: a run over the training budget (epochs x (1 + folds) > 600) is refused at once, naming both fields
        given().contentType(ContentType.JSON).body(Map.of("epochs", 200, "folds", 5)).post("/api/versions/{v}/evaluations", version)
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", equalTo(List.of("epochs", "folds")))
                .body("errors[0].message", containsString("1200"));
        given().contentType(ContentType.JSON).body(Map.of("epochs", 601)).post("/api/versions/{v}/evaluations", version)
                .then().statusCode(422).body("errors.field", equalTo(List.of("epochs")));
        // three queued or running per project; the fourth is told to come back later (429), and nothing is queued
        List<String> active = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            active.add(given().contentType(ContentType.JSON).body(Map.of("epochs", 100, "folds", 5))
                    .post("/api/versions/{v}/evaluations", version).then().statusCode(202).extract().path("id"));
        }
        given().contentType(ContentType.JSON).body("{}").post("/api/versions/{v}/evaluations", version).then().statusCode(429)
                .contentType("application/problem+json").body("errors[0].field", equalTo("versionId"))
                .body("detail", containsString("at most 3"));
        assertEquals(5, given().get("/api/versions/{v}/evaluations", version).then().extract().jsonPath().getList("$").size());
        // the trainer reports one cancelled (a state the database accepts): it no longer counts, and a late state of
        // the run does not bring it back
        UUID cancelled = UUID.fromString(active.getFirst());
        sendEvaluated(new ModelEvaluated(p, v, cancelled, EvaluationStatus.CANCELLED, 0, 100, Map.of("phase", "cancelled"),
                "cancelled by ana", null, Instant.now(), Instant.now()));
        sendEvaluated(new ModelEvaluated(p, v, cancelled, EvaluationStatus.RUNNING, 1, 100, Map.of(), null, Instant.now(), null,
                Instant.now()));
        awaitEvaluation(version, e -> e.getString("find { it.id == '" + cancelled + "' }.status").equals("CANCELLED"));
        given().contentType(ContentType.JSON).body("{}").post("/api/versions/{v}/evaluations", version).then().statusCode(202);
        Thread.sleep(1000);
        given().get("/api/versions/{v}/evaluations", version).then()
                .body("find { it.id == '" + cancelled + "' }.status", equalTo("CANCELLED"))
                .body("find { it.id == '" + cancelled + "' }.error", equalTo("cancelled by ana"));
    }

    private void sendEvaluated(ModelEvaluated event) {
        LoupeClient.send(bootstrap, Topics.EVALUATIONS, event.evaluationId().toString(),
                codec.encode(dev.loupe.events.EventEnvelope.wrap(UUID.randomUUID(), "trainer-test", event.at(), 0, event)));
    }

    private JsonPath awaitEvaluation(String version, java.util.function.Predicate<JsonPath> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            last = given().get("/api/versions/{v}/evaluations", version).then().statusCode(200).extract().jsonPath();
            if (!last.getList("$").isEmpty() && done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("evaluation not as expected: " + (last == null ? null : last.prettify()));
    }

    // --- helpers

    private String importProject(SyntheticSpec spec) throws IOException {
        return importProject(new RomanNumeralGenerator(spec).generate());
    }

    private String importProject(List<Sample> samples) throws IOException {
        List<String> classes = samples.stream().map(Sample::givenLabel).distinct().sorted().toList();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        return LoupeClient.importZip(labelUrl, "ds", classes, zip.toByteArray());
    }

    private long relabel(String itemId, long version, String label) {
        return given().baseUri(labelUrl).contentType(ContentType.JSON).header("If-Match", "\"" + version + "\"")
                .body(Map.of("label", label, "reason", "test")).put("/api/items/{id}/label", itemId)
                .then().statusCode(200).extract().jsonPath().getLong("version");
    }

    private static int total(JsonPath split) {
        int total = 0;
        for (String side : List.of("train", "val")) {
            Map<String, Integer> counts = split.getMap("counts." + side);
            total += counts == null ? 0 : counts.values().stream().mapToInt(Integer::intValue).sum();
        }
        return total;
    }

    private JsonPath awaitSplit(String project, java.util.function.Predicate<JsonPath> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            var response = given().get("/api/projects/{id}/split", project);
            if (response.statusCode() == 200) {
                last = response.jsonPath();
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("split never got there: " + (last == null ? "no split" : last.prettify()));
    }

    /**
     * Waits until the project's split version has not changed for 6 s; returns it. Style reads from the embedding
     * service come at least 2 s apart and may refresh the split once more after a burst; on a loaded machine (CI with
     * everything on 2 cores) 3 s of quiet was not always past the last of them.
     */
    private long awaitQuiet(String project) throws InterruptedException {
        long version = -1;
        Instant since = Instant.now();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonPath split = given().get("/api/projects/{id}/split", project).then().extract().jsonPath();
            if (split.getLong("splitVersion") != version || !split.getBoolean("current")) {
                version = split.getLong("splitVersion");
                since = Instant.now();
            } else if (Duration.between(since, Instant.now()).toSeconds() >= 6) {
                return version;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the split of " + project + " never settled");
    }

    private SplitRefreshed awaitSplitEvent(String project, java.util.function.Predicate<SplitRefreshed> match) {
        return TopicReader.readUntil(bootstrap, Topics.SPLITS, all -> all.stream().filter(r -> project.equals(r.key()))
                        .map(r -> (SplitRefreshed) codec.decode(r.value()).data()).anyMatch(match), Duration.ofSeconds(20))
                .stream().filter(r -> project.equals(r.key())).map(r -> (SplitRefreshed) codec.decode(r.value()).data())
                .filter(match).findFirst().orElseThrow(() -> new AssertionError("no matching SplitRefreshed"));
    }

    private void send(String key, String value) {
        LoupeClient.send(bootstrap, Topics.ITEMS, key, value);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
