package dev.loupe.trainer;

import dev.loupe.events.DatasetVersionPublished;
import dev.loupe.events.EvaluationCancelRequested;
import dev.loupe.events.EvaluationRequested;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.LoupeEvent;
import dev.loupe.events.EvaluationStatus;
import dev.loupe.events.ModelEvaluated;
import dev.loupe.events.Topics;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.TestAuth;
import dev.loupe.testing.TopicReader;
import dev.loupe.trainer.event.TrainerEventsConsumer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retraining hook end to end on a small subset of the DCAI set (synthetic numerals in its layout where the real
 * set is absent, so these tests always run; {@link TrainingImages}): a published version is trained by itself
 * (the test profile trains 8 epochs), its states reach the dataset service, a requested run with the same seed gives
 * the same metrics, a k-fold run hands its predictions to the label-issue finder, and bad input fails clearly.
 */
@QuarkusTest
class TrainerFlowTest {

    static final List<String> CLASSES = List.of("i", "ii", "iii");
    static final int TRAIN_PER_CLASS = TrainingImages.TRAIN_PER_CLASS;
    static final int VAL_PER_CLASS = TrainingImages.VAL_PER_CLASS;
    static final int ITEMS = CLASSES.size() * (TRAIN_PER_CLASS + VAL_PER_CLASS);

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "loupe.dataset-service-url")
    String datasetUrl;

    @ConfigProperty(name = "loupe.embedding-service-url")
    String embeddingUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource db;

    private final EventCodec codec = new EventCodec();
    private final Map<String, Integer> expectedVal = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void aPublishedVersionIsTrainedScoredAndReportedAndASameSeedRunAgrees() throws Exception {
        Path dcai = TrainingImages.folder();
        String project = importSubset(dcai, VAL_PER_CLASS);
        Path testFolder = subsetFolder(dcai.resolve("label_book"), Files.createTempDirectory(roots(), "loupe-test-folder"), CLASSES, 100);
        int testImages; // 16 in the real label book (5 i, 5 ii, 6 iii), 15 in the synthetic one
        try (Stream<Path> files = Files.walk(testFolder)) {
            testImages = (int) files.filter(Files::isRegularFile).count();
        }
        given().contentType(ContentType.JSON).header("Loupe-User", "ana").header("If-Match", "*")
                .body(Map.of("path", testFolder.toString()))
                .put("/api/projects/{id}/test-folder", project).then().statusCode(200).header("ETag", "\"1\"")
                .body("classes.size()", equalTo(3)).body("setBy", equalTo(TestAuth.ADMIN)).body("images", equalTo(testImages));
        // a team edits it like everything else: the version it saw, or it is told someone was faster
        given().contentType(ContentType.JSON).header("If-Match", "\"0\"").body(Map.of("path", testFolder.toString()))
                .put("/api/projects/{id}/test-folder", project).then().statusCode(412).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("path", testFolder.toString()))
                .put("/api/projects/{id}/test-folder", project).then().statusCode(428);
        given().get("/api/projects/{id}/test-folder", project).then().statusCode(200).header("ETag", "\"1\"");

        awaitSplit(project, ITEMS);
        String version = publish(project, "v1");
        UUID auto = TrainerEventsConsumer.autoRunId(UUID.fromString(version));

        // the dataset service shows the run the trainer started by itself, through to its end
        JsonPath done = awaitEvaluation(version, auto, e -> "COMPLETED".equals(e.getString("status")));
        JsonPath metrics = JsonPath.from(done.prettify()).setRootPath("metrics");
        assertEquals(8, done.getInt("epochs"));
        assertEquals(8, done.getInt("epoch"));
        double val = metrics.getDouble("valAccuracy");
        assertTrue(val >= 0 && val <= 1, "val accuracy " + val);
        List<List<Integer>> confusion = metrics.getList("confusion");
        assertEquals(3, confusion.size());
        assertEquals(metrics.getInt("valItems"), confusion.stream().flatMap(List::stream).mapToInt(Integer::intValue).sum());
        assertEquals(new java.util.TreeSet<>(CLASSES), new java.util.TreeSet<>(metrics.getMap("perClass").keySet()));
        assertNotNull(metrics.get("testAccuracy"), "scored on the project's test folder: " + done.prettify());
        assertEquals("project", metrics.getString("testFolderSource"));
        assertEquals(3, metrics.getList("testConfusion").size());

        // the trainer's own view has every epoch; training lowered the loss
        JsonPath run = given().get("/api/evaluations/{id}", auto).then().statusCode(200).extract().jsonPath();
        assertEquals("PUBLISHED", run.getString("trigger"));
        assertEquals(8, run.getList("history").size());
        assertTrue(run.getDouble("history[7].trainLoss") < run.getDouble("history[0].trainLoss"),
                "loss falls: " + run.getList("history"));
        assertTrue(run.getDouble("history[7].trainAccuracy") > 0.6, "it learns the training images: " + run.getList("history"));
        assertTrue(val > 1.0 / 3, "val accuracy " + val + " beats chance (1/3) after 8 epochs on 60 images");
        System.out.println("TrainerFlowTest: val accuracy " + val + ", test accuracy " + metrics.getDouble("testAccuracy")
                + ", losses " + run.getList("history.trainLoss"));

        // on Kafka: QUEUED, RUNNING (loading, then each epoch), COMPLETED, in that order
        List<ModelEvaluated> states = evaluated(auto, s -> s.stream().anyMatch(e -> e.status() == EvaluationStatus.COMPLETED));
        assertEquals(EvaluationStatus.QUEUED, states.getFirst().status());
        assertEquals(EvaluationStatus.COMPLETED, states.getLast().status());
        List<Integer> epochs = states.stream().filter(e -> e.status() == EvaluationStatus.RUNNING).map(ModelEvaluated::epoch).toList();
        assertTrue(epochs.containsAll(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8)), "an epoch-by-epoch progress: " + epochs);
        for (int i = 1; i < epochs.size(); i++) {
            assertTrue(epochs.get(i) >= epochs.get(i - 1), "epochs in order: " + epochs);
        }

        // the same version announced again (a new event: a replay, or another dataset replica) trains nothing new
        JsonPath versionView = given().baseUri(datasetUrl).get("/api/versions/{v}", version).then().statusCode(200)
                .extract().jsonPath();
        send(Topics.DATASETS, project, new DatasetVersionPublished(UUID.fromString(project), UUID.fromString(version), "v1",
                versionView.getString("contentHash"), ITEMS, Map.of(), 0, 0, "", "replay", Instant.now()));

        // asked by hand with the configured seed and epochs: the same numbers (deterministic training)
        String again = given().baseUri(datasetUrl).contentType(ContentType.JSON).header("Loupe-User", "ben").body(Map.of())
                .post("/api/versions/{v}/evaluations", version).then().statusCode(202).extract().path("id");
        JsonPath second = awaitEvaluation(version, UUID.fromString(again), e -> "COMPLETED".equals(e.getString("status")));
        assertEquals(val, second.getDouble("metrics.valAccuracy"), 1e-9, "same seed, same val accuracy");
        assertEquals(metrics.getDouble("testAccuracy"), second.getDouble("metrics.testAccuracy"), 1e-9);
        JsonPath secondRun = given().get("/api/evaluations/{id}", again).then().statusCode(200).extract().jsonPath();
        for (int e = 0; e < 8; e++) {
            assertEquals(run.getDouble("history[" + e + "].trainLoss"), secondRun.getDouble("history[" + e + "].trainLoss"), 1e-4,
                    "epoch " + (e + 1) + " loss");
        }
        assertEquals("REQUESTED", secondRun.getString("trigger"));
        assertEquals(TestAuth.ADMIN, secondRun.getString("requestedBy"), "the caller; Loupe-User counts only from a trusted proxy");
        List<Object> runs = given().queryParam("versionId", version).get("/api/evaluations").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertEquals(2, runs.size(), "the replayed announcement queued nothing: " + runs);
    }

    @Test
    void aKFoldRunHandsItsPredictionsToTheLabelIssueFinder() throws Exception {
        Path dcai = TrainingImages.folder();
        String project = importSubset(dcai, VAL_PER_CLASS);
        awaitSplit(project, ITEMS);
        String version = publish(project, "v-oof");
        String id = given().baseUri(datasetUrl).contentType(ContentType.JSON).body(Map.of("epochs", 2, "folds", 3))
                .post("/api/versions/{v}/evaluations", version).then().statusCode(202).extract().path("id");
        JsonPath done = awaitEvaluation(version, UUID.fromString(id), e -> "COMPLETED".equals(e.getString("status")));
        assertEquals(3, done.getInt("metrics.outOfFold.folds"));
        assertEquals(ITEMS, done.getInt("metrics.outOfFold.items"));
        assertTrue(done.getBoolean("metrics.outOfFold.handedOver"), done.prettify());

        JsonPath predictions = given().get("/api/evaluations/{id}/predictions", id).then().statusCode(200).extract().jsonPath();
        assertEquals(ITEMS, predictions.getList("items").size());
        for (int i = 0; i < ITEMS; i++) {
            List<Float> p = predictions.getList("items[" + i + "].probabilities", Float.class);
            assertEquals(3, p.size());
            assertEquals(1.0, p.stream().mapToDouble(Float::doubleValue).sum(), 1e-3);
        }
        // the embedding service uses them: its summary names this run, and its label-issue findings carry both signals
        given().baseUri(embeddingUrl).get("/api/projects/{id}/model-predictions", project).then().statusCode(200)
                .body("evaluationId", equalTo(id)).body("items", equalTo(ITEMS));
        JsonPath findings = given().baseUri(embeddingUrl).queryParam("type", "label-issue")
                .get("/api/projects/{id}/findings", project).then().statusCode(200).extract().jsonPath();
        List<List<String>> signals = findings.getList("findings.evidence.signals");
        assertFalse(signals.isEmpty(), "a weak 2-epoch model disagrees with some labels: " + findings.prettify());
        for (List<String> s : signals) {
            assertEquals(List.of("embeddings", "model"), s);
        }
        given().get("/api/evaluations/{id}/predictions", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aRunWhoseReplicaDiedIsTakenOverAndCompleted() throws Exception {
        Path dcai = TrainingImages.folder();
        String project = importSubset(dcai, VAL_PER_CLASS);
        awaitSplit(project, ITEMS);
        String version = publish(project, "v-crash");
        // a replica claimed this run and died in its second epoch: its lease ran out a minute ago
        UUID orphan = UUID.randomUUID();
        try (var connection = db.getConnection(); var insert = connection.prepareStatement("INSERT INTO training_run "
                + "(run_id, project_id, version_id, trigger, status, epochs, seed, epoch, attempts, claimed_by, claimed_until, "
                + "created_at, started_at, updated_at) VALUES (?, ?, ?, 'REQUESTED', 'RUNNING', 2, 123, 1, 1, 'dead-replica', "
                + "now() - interval '1 minute', now() - interval '10 minutes', now() - interval '10 minutes', now())")) {
            insert.setObject(1, orphan);
            insert.setObject(2, UUID.fromString(project));
            insert.setObject(3, UUID.fromString(version));
            insert.executeUpdate();
        }
        JsonPath done = awaitRun(orphan, r -> "COMPLETED".equals(r.getString("status")));
        assertEquals(2, done.getInt("attempts"), "taken over once: " + done.prettify());
        assertEquals(2, done.getList("history").size(), "trained again from the start");
        // and the dataset service learns of it like of any run
        awaitEvaluation(version, orphan, e -> "COMPLETED".equals(e.getString("status")));
    }

    @Test
    void quotasRefuseRequestsAndACancelledRunStopsWithinAnEpochAndTheNextQueuedOneStarts() throws Exception {
        Path dcai = TrainingImages.folder();
        String project = importSubset(dcai, VAL_PER_CLASS);
        awaitSplit(project, ITEMS);
        String version = publish(project, "v-cancel");
        UUID p = UUID.fromString(project);
        UUID v = UUID.fromString(version);

        // the published version's own run, cancelled before it ends: CANCELLED at once, at the dataset service too
        UUID auto = TrainerEventsConsumer.autoRunId(v);
        awaitRun(auto, r -> true);
        given().header("Loupe-User", "ana").post("/api/evaluations/{id}/cancel", auto).then().statusCode(200)
                .body("status", equalTo("CANCELLED")).body("error", equalTo("cancelled by " + dev.loupe.testing.TestAuth.ADMIN));
        awaitEvaluation(version, auto, e -> "CANCELLED".equals(e.getString("status")));

        // over the training budget (epochs x (1 + folds) > 600): refused by the trainer even when asked directly, never trained
        UUID big = UUID.randomUUID();
        send(Topics.DATASETS, project, new EvaluationRequested(p, v, big, 200, null, 5, "ana", Instant.now()));
        JsonPath refusedBig = awaitRun(big, r -> "FAILED".equals(r.getString("status")));
        assertTrue(refusedBig.getString("error").startsWith("QUOTA_EXCEEDED"), refusedBig.prettify());
        assertTrue(refusedBig.getString("error").contains("1200"), refusedBig.prettify());
        assertEquals(0, refusedBig.getInt("attempts"));
        // the dataset service refuses it at once (422) and queues nothing
        given().baseUri(datasetUrl).contentType(ContentType.JSON).body(Map.of("epochs", 200, "folds", 5))
                .post("/api/versions/{v}/evaluations", version).then().statusCode(422).body("errors[0].field", equalTo("epochs"));

        // three queued or running per project: a long run and two short ones; the fourth is refused
        String longRun = request(version, Map.of("epochs", 500));
        String next = request(version, Map.of("epochs", 2));
        String third = request(version, Map.of("epochs", 2));
        given().baseUri(datasetUrl).contentType(ContentType.JSON).body(Map.of()).post("/api/versions/{v}/evaluations", version)
                .then().statusCode(429).contentType("application/problem+json").body("errors[0].field", equalTo("versionId"));
        for (String queued : List.of(longRun, next, third)) {
            awaitRun(UUID.fromString(queued), r -> true); // the trainer has them all
        }
        UUID fourth = UUID.randomUUID();
        send(Topics.DATASETS, project, new EvaluationRequested(p, v, fourth, 2, null, null, "ana", Instant.now()));
        JsonPath refusedFourth = awaitRun(fourth, r -> "FAILED".equals(r.getString("status")));
        assertTrue(refusedFourth.getString("error").contains("max-active-runs-per-project"), refusedFourth.prettify());
        awaitEvaluation(version, fourth, e -> "FAILED".equals(e.getString("status")));

        // the long run is cancelled in its third epoch or so: the worker stops it and takes the next queued run within
        // about an epoch
        JsonPath running = awaitRun(UUID.fromString(longRun), r -> "RUNNING".equals(r.getString("status")) && r.getInt("epoch") >= 2);
        int epochAtCancel = running.getInt("epoch");
        double secondsPerEpoch = running.getDouble("history[" + (epochAtCancel - 1) + "].seconds") / epochAtCancel;
        Instant cancelledAt = Instant.now();
        given().header("Loupe-User", "ben").post("/api/evaluations/{id}/cancel", longRun).then().statusCode(200)
                .body("status", equalTo("CANCELLED")).body("id", equalTo(longRun)).body("error", equalTo("cancelled by " + dev.loupe.testing.TestAuth.ADMIN));
        JsonPath nextStarted = awaitRun(UUID.fromString(next), r -> !"QUEUED".equals(r.getString("status")));
        Duration waited = Duration.between(cancelledAt, Instant.parse(nextStarted.getString("startedAt")));
        assertTrue(waited.toMillis() < 2 * secondsPerEpoch * 1000 + 3000, "the next run started " + waited
                + " after the cancel; an epoch takes " + secondsPerEpoch + " s");
        // a queued run is cancelled too, here by the dataset service's event (a cancelled curation run's evaluation);
        // an ended one cannot be (409 over REST; the event leaves it as it is), an unknown one is 404
        send(Topics.DATASETS, project, new EvaluationCancelRequested(p, v, UUID.fromString(third), "ana",
                "curation run 1 cancelled", Instant.now()));
        JsonPath thirdCancelled = awaitRun(UUID.fromString(third), r -> "CANCELLED".equals(r.getString("status")));
        assertEquals("cancelled by ana (curation run 1 cancelled)", thirdCancelled.getString("error"));
        given().post("/api/evaluations/{id}/cancel", longRun).then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("status"));
        send(Topics.DATASETS, project, new EvaluationCancelRequested(p, v, UUID.fromString(longRun), "ana", "late",
                Instant.now()));
        send(Topics.DATASETS, project, new EvaluationCancelRequested(p, v, UUID.randomUUID(), "ana", "unknown",
                Instant.now()));
        given().post("/api/evaluations/{id}/cancel", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");

        // the next run completes; the cancelled ones are never trained again
        awaitRun(UUID.fromString(next), r -> "COMPLETED".equals(r.getString("status")));
        Thread.sleep(1500); // three idle polls of the worker
        JsonPath longAfter = given().get("/api/evaluations/{id}", longRun).then().statusCode(200).extract().jsonPath();
        assertEquals("CANCELLED", longAfter.getString("status"));
        assertEquals("cancelled by " + dev.loupe.testing.TestAuth.ADMIN, longAfter.getString("error"), "the late event changed nothing");
        assertEquals(1, longAfter.getInt("attempts"), "not retried");
        assertTrue(longAfter.getList("history").size() <= epochAtCancel + 2, "stopped within an epoch: " + longAfter.getList("history.epoch"));
        JsonPath thirdAfter = given().get("/api/evaluations/{id}", third).then().statusCode(200).extract().jsonPath();
        assertEquals("CANCELLED", thirdAfter.getString("status"));
        assertEquals(0, thirdAfter.getInt("attempts"), "never claimed");
        awaitEvaluation(version, UUID.fromString(longRun), e -> "CANCELLED".equals(e.getString("status")));
        awaitEvaluation(version, UUID.fromString(third), e -> "CANCELLED".equals(e.getString("status")));
    }

    private String request(String version, Map<String, Object> body) {
        return given().baseUri(datasetUrl).contentType(ContentType.JSON).body(body).post("/api/versions/{v}/evaluations", version)
                .then().statusCode(202).extract().path("id");
    }

    @Test
    void badInputFailsTheRunWithAStoredReasonOrIsRefused() throws Exception {
        Path dcai = TrainingImages.folder();
        String project = importSubset(dcai, 0);

        // a version that does not exist: the run fails fast, with the reason, and the dataset service is told
        UUID missingVersion = UUID.randomUUID();
        UUID missingRun = UUID.randomUUID();
        send(Topics.DATASETS, project, new EvaluationRequested(UUID.fromString(project), missingVersion, missingRun, 2, null,
                null, "ana", Instant.now()));
        JsonPath failed = awaitRun(missingRun, r -> "FAILED".equals(r.getString("status")));
        assertTrue(failed.getString("error").contains("does not exist"), failed.prettify());
        List<ModelEvaluated> states = evaluated(missingRun, s -> s.stream().anyMatch(e -> e.status() == EvaluationStatus.FAILED));
        assertTrue(states.getLast().error().contains("does not exist"));

        // a version without validation items (every image was imported as train, and the split keeps that): failed
        // with the reason, nothing trained
        awaitSplit(project, CLASSES.size() * TRAIN_PER_CLASS);
        String noVal = publish(project, "no-val");
        JsonPath noValRun = awaitEvaluation(noVal, TrainerEventsConsumer.autoRunId(UUID.fromString(noVal)),
                e -> "FAILED".equals(e.getString("status")));
        assertTrue(noValRun.getString("error").startsWith("NO_VAL_ITEMS"), noValRun.prettify());

        // test folders: classes that differ from the project's (said without naming the folders found there), a path
        // that is no folder, an unknown project
        Path tenClasses = Files.createTempDirectory(roots(), "ten-classes");
        List<String> bookClasses;
        try (Stream<Path> dirs = Files.list(dcai.resolve("label_book"))) {
            bookClasses = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }
        subsetFolder(dcai.resolve("label_book"), tenClasses, bookClasses, 1);
        given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("path", tenClasses.toString()))
                .put("/api/projects/{id}/test-folder", project).then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("path"))
                .body("errors[0].message", containsString("[i, ii, iii]"))
                .body("errors[0].message", not(containsString("iv")))
                .body("errors[0].message", not(containsString(tenClasses.toString())));
        given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("path", "/no/such/folder"))
                .put("/api/projects/{id}/test-folder", project).then().statusCode(422).body("errors[0].field", equalTo("path"));
        given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("path", ""))
                .put("/api/projects/{id}/test-folder", project).then().statusCode(422).body("errors[0].field", equalTo("path"));

        // only below the configured roots (the test profile's target/test-folder-roots), judged on the real path: a
        // fitting folder elsewhere, a link or `..` leading out of the roots, /etc and a missing path get one answer
        // that names no server folder, so nothing outside the roots can be probed
        Path outside = subsetFolder(dcai.resolve("label_book"), Files.createTempDirectory("loupe-outside"), CLASSES, 2);
        Path link = roots().resolve("link-" + UUID.randomUUID());
        Files.createSymbolicLink(link, outside);
        List<String> refused = List.of(outside.toString(), link.toString(), roots() + "/../..",
                roots() + "/..".repeat(roots().getNameCount()) + outside, "/etc", "/no/such/folder",
                roots().resolve("missing").toString(), "relative/" + CLASSES.getFirst());
        String answer = null;
        for (String path : refused) {
            JsonPath problem = given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("path", path))
                    .put("/api/projects/{id}/test-folder", project).then().statusCode(422)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("path")).extract().jsonPath();
            String message = problem.getString("errors[0].message");
            assertFalse(message.contains(roots().toString()) || message.contains("/etc") || message.contains("passwd"), message);
            if (answer == null) {
                answer = message;
            }
            assertEquals(answer, message, "the same answer for " + path);
        }
        given().get("/api/projects/{id}/test-folder", project).then().statusCode(404).contentType("application/problem+json");
        given().header("If-Match", "*").delete("/api/projects/{id}/test-folder", project).then().statusCode(404);
        Path fits = subsetFolder(dcai.resolve("label_book"), Files.createTempDirectory(roots(), "loupe-test-folder"), CLASSES, 2);
        given().contentType(ContentType.JSON).header("If-Match", "nonsense").body(Map.of("path", fits.toString()))
                .put("/api/projects/{id}/test-folder", project).then().statusCode(400).body("errors[0].field", equalTo("If-Match"));
        given().contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("path", fits.toString()))
                .put("/api/projects/{id}/test-folder", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().queryParam("versionId", "nope").get("/api/evaluations").then().statusCode(422)
                .body("errors[0].field", equalTo("versionId"));
        given().get("/api/evaluations").then().statusCode(422);
        given().get("/api/evaluations/{id}", UUID.randomUUID()).then().statusCode(404);
    }

    // --- helpers

    /** The test profile's loupe.trainer.test-folder-roots, absolute. */
    private static Path roots() throws IOException {
        return Files.createDirectories(Path.of("target", "test-folder-roots")).toAbsolutePath();
    }

    /**
     * The first TRAIN_PER_CLASS training and {@code valPerClass} validation images of each class, imported with their
     * sides into a new project whose split keeps them (the same data in every run, so the same numbers).
     */
    private String importSubset(Path dcai, int valPerClass) throws IOException, InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.util.Set<String> trainHashes = new java.util.HashSet<>();
        int val = 0;
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String side : List.of("train", "val")) {
                for (String c : CLASSES) {
                    try (Stream<Path> files = Files.list(dcai.resolve(side).resolve(c))) {
                        for (Path f : files.filter(Files::isRegularFile).sorted()
                                .limit(side.equals("train") ? TRAIN_PER_CLASS : valPerClass).toList()) {
                            byte[] image = Files.readAllBytes(f);
                            String hash = java.util.HexFormat.of().formatHex(
                                    java.security.MessageDigest.getInstance("SHA-256").digest(image));
                            if (side.equals("train")) {
                                trainHashes.add(hash);
                            } else if (!trainHashes.contains(hash)) {
                                val++; // a val image with a byte-identical train twin goes to train with it
                            }
                            zip.putNextEntry(new ZipEntry(side + "/" + c + "/" + f.getFileName()));
                            zip.write(image);
                            zip.closeEntry();
                        }
                    }
                }
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String project = LoupeClient.importZip(labelUrl, "trainer", CLASSES, bytes.toByteArray());
        expectedVal.put(project, val);
        // the dataset service knows the project once the first items' events reached it
        await(() -> {
            var response = given().baseUri(datasetUrl).get("/api/projects/{id}/split/config", project);
            return response.statusCode() == 200 ? response.jsonPath() : null;
        }, config -> true, Duration.ofSeconds(60), "the dataset service's split of " + project);
        given().baseUri(datasetUrl).contentType(ContentType.JSON).header("If-Match", "*")
                .body(Map.of("strategy", "keep-original", "valFraction", 0.2, "seed", 1))
                .put("/api/projects/{id}/split/config", project).then().statusCode(200);
        return project;
    }

    /** A copy of the first {@code perClass} images of some classes of an ImageFolder, under target's temp dir. */
    private static Path subsetFolder(Path from, Path to, List<String> classes, int perClass) throws IOException {
        for (String c : classes) {
            Files.createDirectories(to.resolve(c));
            try (Stream<Path> files = Files.list(from.resolve(c))) {
                for (Path f : files.filter(Files::isRegularFile).sorted().limit(perClass).toList()) {
                    Files.copy(f, to.resolve(c).resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    private String publish(String project, String name) {
        return given().baseUri(datasetUrl).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("versionId");
    }

    /**
     * Waits until every item is embedded (so near duplicates are known) and the split holds the imported sides, the
     * val images with a byte-identical train twin on train: the same version in every run.
     */
    private void awaitSplit(String project, int items) throws InterruptedException {
        int val = expectedVal.get(project);
        await(() -> given().baseUri(embeddingUrl).get("/api/projects/{id}/embeddings/status", project).jsonPath(),
                s -> s.getInt("embedded") == items, Duration.ofSeconds(120), "embeddings of " + items);
        await(() -> given().baseUri(datasetUrl).get("/api/projects/{id}/split", project).jsonPath(),
                s -> "keep-original".equals(s.getString("strategy")) && total(s, "train") + total(s, "val") == items
                        && total(s, "val") == val, Duration.ofSeconds(120), "split of " + items + " with " + val + " val");
    }

    private static int total(JsonPath split, String side) {
        Map<String, Integer> counts = split.getMap("counts." + side);
        return counts == null ? 0 : counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The version's evaluation {@code id} at the dataset service, once it matches. */
    private JsonPath awaitEvaluation(String version, UUID id, Predicate<JsonPath> done) throws InterruptedException {
        return await(() -> {
            List<Map<String, Object>> all = given().baseUri(datasetUrl).get("/api/versions/{v}/evaluations", version)
                    .then().statusCode(200).extract().jsonPath().getList("$");
            return all.stream().filter(e -> id.toString().equals(e.get("id"))).findFirst()
                    .map(e -> JsonPath.from(toJson(e))).orElse(null);
        }, done, Duration.ofSeconds(300), "evaluation " + id);
    }

    private JsonPath awaitRun(UUID id, Predicate<JsonPath> done) throws InterruptedException {
        return await(() -> {
            var response = given().get("/api/evaluations/{id}", id);
            return response.statusCode() == 200 ? response.jsonPath() : null;
        }, done, Duration.ofSeconds(120), "run " + id);
    }

    private static String toJson(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonPath await(java.util.concurrent.Callable<JsonPath> read, Predicate<JsonPath> done, Duration timeout,
                                  String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = read.call();
                if (last != null && done.test(last)) {
                    return last;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // not there yet
            }
            Thread.sleep(300);
        }
        throw new AssertionError(what + " never got there: " + (last == null ? "nothing" : last.prettify()));
    }

    private List<ModelEvaluated> evaluated(UUID run, Predicate<List<ModelEvaluated>> done) {
        Predicate<List<ConsumerRecord<String, String>>> enough = all -> done.test(decode(all, run));
        return decode(TopicReader.readUntil(bootstrap, Topics.EVALUATIONS, enough, Duration.ofSeconds(60)), run);
    }

    private List<ModelEvaluated> decode(List<ConsumerRecord<String, String>> records, UUID run) {
        List<ModelEvaluated> states = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            if (run.toString().equals(r.key())) {
                states.add((ModelEvaluated) codec.decode(r.value()).data());
            }
        }
        return states;
    }

    private void send(String topic, String key, LoupeEvent event) {
        LoupeClient.send(bootstrap, topic, key, codec.encode(EventEnvelope.wrap(UUID.randomUUID(), "trainer-test",
                Instant.now(), 0, event)));
    }
}
