package dev.loupe.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.loupe.devstack.StackBackup;
import dev.loupe.events.EventCodec;
import dev.loupe.events.SplitRefreshed;
import dev.loupe.events.Topics;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.DcaiDataset;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.LoupeStackTestResource;
import dev.loupe.testing.TopicReader;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole product as in production: the packaged label, embedding and dataset services as separate processes
 * against one Kafka broker and one PostgreSQL, laid out like ./loupe up's data directory. Proves the flow the product
 * exists for: import, embeddings, a split; label changes (single and bulk) re-embedded and reflected in the refreshed
 * split; a service killed mid-stream loses nothing and applies nothing twice; a published version reaches a webhook
 * receiver with a valid signature; and the restore drill: a backup taken while changes are in flight, restored at the
 * end, brings every service back to its moment by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final String SECRET = "e2e-secret-0123456789";
    private static final LoupeStackTestResource STACK = new LoupeStackTestResource();
    private static final EventCodec CODEC = new EventCodec();
    private static String label;
    private static String embedding;
    private static String dataset;
    private static String bootstrap;
    private static String project;
    private static int items;
    private static Path dataDir;
    private static Path backup;
    private static Map<String, String> config;
    /** Each item's "label@version" when the backup was taken. */
    private static Map<String, String> atBackup;

    @BeforeAll
    static void startStack() throws Exception {
        Path root = Path.of("target", "pipeline-" + UUID.randomUUID()).toAbsolutePath();
        dataDir = root.resolve("data");
        backup = root.resolve("loupe.backup");
        STACK.withDataDir(dataDir);
        STACK.init(Map.of("services", "label-service,embedding-service,dataset-service"));
        STACK.withConfig(Map.of("loupe.dataset.webhooks.allow-loopback", "true",
                "loupe.dataset.webhooks.initial-backoff", "PT0.2S"));
        start();
    }

    /** Starts the stack on its data directory (again, after a restore) and reads where everything is. */
    private static void start() {
        config = STACK.start();
        label = config.get("loupe.label-service-url");
        embedding = config.get("loupe.embedding-service-url");
        dataset = config.get("loupe.dataset-service-url");
        bootstrap = config.get("kafka.bootstrap.servers");
        // every request of this test carries the first administrator's API token
        dev.loupe.testing.TestAuth.useAdminByDefault(config.get("loupe.label-service-url"));
    }

    @AfterAll
    static void stop() {
        STACK.stop();
    }

    @Test
    @Order(1)
    void anImportIsEmbeddedAndSplit() throws Exception {
        byte[] zip;
        var dcai = DcaiDataset.find();
        if (dcai.isPresent()) {
            Path file = Files.createTempFile("dcai-", ".zip");
            zip = Files.readAllBytes(DcaiDataset.zip(dcai.get(), file, "train", "val"));
            Files.delete(file);
        } else {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageFolderZip.write(new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 100, 0.2, 0.05, 0.01, 7))
                    .generate(), out);
            zip = out.toByteArray();
        }
        project = LoupeClient.importZip(label, "e2e", SyntheticSpec.ROMAN_I_TO_X, zip);
        JsonPath imported = await("import done", () -> given().baseUri(label).get("/api/projects/{id}/imports", project)
                        .jsonPath(), j -> List.of("COMPLETED", "FAILED").contains(j.getString("[0].status")), 180);
        assertEquals("COMPLETED", imported.getString("[0].status"), imported.prettify());
        items = given().baseUri(label).queryParam("size", 1).get("/api/projects/{id}/items", project)
                .then().statusCode(200).extract().jsonPath().getInt("total");
        assertTrue(items > 500, "items " + items);

        await("all embedded", () -> given().baseUri(embedding).get("/api/projects/{id}/embeddings/status", project).jsonPath(),
                s -> s.getInt("embedded") + s.getInt("failed") == items, 300);
        JsonPath split = await("split of every item", this::split, s -> total(s) == items && s.getBoolean("current"), 120);
        int val = sum(split.getMap("counts.val"));
        assertEquals(Math.round(0.2 * items), val, "val share");
    }

    @Test
    @Order(2)
    void singleAndBulkLabelChangesAreReEmbeddedAndInTheRefreshedSplit() throws Exception {
        List<Map<String, Object>> page = given().baseUri(label).queryParam("label", "ii").queryParam("size", 21)
                .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getList("items");
        // one single change
        Map<String, Object> first = page.getFirst();
        String itemId = (String) first.get("id");
        long version = relabel(itemId, ((Number) first.get("version")).longValue(), "iii");
        JsonPath reached = given().baseUri(dataset).queryParam("itemId", itemId).queryParam("minVersion", version)
                .queryParam("wait", 30).get("/api/projects/{id}/split", project).then().statusCode(200).extract().jsonPath();
        assertTrue(reached.getBoolean("reached"));
        assertEquals("iii", assignment(itemId).getString("items[0].label"));

        // a bulk change of 20 items in one request
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Map<String, Object> item : page.subList(1, page.size())) {
            changes.add(Map.of("itemId", item.get("id"), "version", item.get("version"), "label", "iv"));
        }
        List<Map<String, Object>> changed = given().baseUri(label).contentType(ContentType.JSON)
                .body(Map.of("reason", "e2e bulk", "changes", changes)).post("/api/projects/{id}/relabels", project)
                .then().statusCode(200).extract().jsonPath().getList("items");
        for (Map<String, Object> item : changed) {
            given().baseUri(dataset).queryParam("itemId", item.get("id")).queryParam("minVersion", item.get("version"))
                    .queryParam("wait", 30).get("/api/projects/{id}/split", project).then().statusCode(200);
            assertEquals("iv", assignment((String) item.get("id")).getString("items[0].label"));
        }
        // the embedding service applied them too: its findings show the new labels
        Set<String> bulkIds = changed.stream().map(i -> (String) i.get("id")).collect(Collectors.toSet());
        await("embedding service saw the relabels", () -> given().baseUri(embedding).get("/api/projects/{id}/map", project).jsonPath(),
                m -> {
                    List<String> ids = m.getList("itemIds");
                    List<String> labels = m.getList("labels");
                    return ids.stream().filter(bulkIds::contains).allMatch(id -> labels.get(ids.indexOf(id)).equals("iv"));
                }, 60);
    }

    @Test
    @Order(3)
    void aServiceKilledMidStreamLosesNothingAndAppliesNothingTwiceAndABackupTakenThenHoldsItsChangesInFlight()
            throws Exception {
        List<Map<String, Object>> targets = given().baseUri(label).queryParam("label", "vii").queryParam("size", 40)
                .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getList("items");
        assertEquals(40, targets.size(), "vii items to relabel");
        // the dataset service dies (SIGKILL) with changes streaming in: 20 before the backup, 20 after it
        STACK.kill("dataset-service");
        Map<String, Long> finalVersion = new HashMap<>();
        Map<String, String> finalLabel = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            relabelTo(targets.get(i), i % 2 == 0 ? "viii" : "vi", finalVersion, finalLabel);
        }
        // a backup while those 20 are published but not applied by the dataset service (the restore drill, Order 6)
        await("the changes before the backup published", () -> StackState.unpublished(config, "label"), n -> n == 0, 60);
        StackBackup.Summary taken = new StackBackup(dataDir).backup(backup, config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
        taken.lines().forEach(l -> System.out.println("PipelineIT backup: " + l));
        atBackup = StackState.labelsAndVersions(label, project);
        for (int i = 20; i < targets.size(); i++) {
            relabelTo(targets.get(i), i % 2 == 0 ? "viii" : "vi", finalVersion, finalLabel);
        }
        STACK.restart("dataset-service");

        // nothing lost: every change made while it was dead is in the split with its label at its final version
        for (var e : finalVersion.entrySet()) {
            String where = "item " + e.getKey() + ", relabelled to " + finalLabel.get(e.getKey()) + " while the dataset service was dead";
            JsonPath reached = given().baseUri(dataset).queryParam("itemId", e.getKey()).queryParam("minVersion", e.getValue())
                    .queryParam("wait", 60).get("/api/projects/{id}/split", project).then().statusCode(200).extract().jsonPath();
            assertTrue(reached.getBoolean("reached"), where);
            JsonPath a = assignment(e.getKey());
            assertEquals(finalLabel.get(e.getKey()), a.getString("items[0].label"), where);
            assertEquals(e.getValue().longValue(), a.getLong("items[0].itemVersion"), where);
        }
        // nothing twice: every item once in the split, and no split version published by two different refreshes
        JsonPath split = await("split current", this::split, s -> s.getBoolean("current"), 60);
        assertEquals(items, total(split));
        List<String> assigned = new ArrayList<>();
        for (int p = 0; ; p++) {
            List<String> ids = given().baseUri(dataset).queryParam("page", p).queryParam("size", 10000)
                    .get("/api/projects/{id}/split/items", project).then().statusCode(200).extract().jsonPath().getList("items.itemId");
            assigned.addAll(ids);
            if (ids.size() < 10000) {
                break;
            }
        }
        assertEquals(assigned.size(), Set.copyOf(assigned).size(), "an item assigned twice");
        Map<Long, Set<UUID>> idsBySplitVersion = new HashMap<>();
        TopicReader.readUntil(bootstrap, Topics.SPLITS, all -> false, Duration.ofSeconds(3)).stream()
                .filter(r -> project.equals(r.key())).map(r -> CODEC.decode(r.value()))
                .forEach(env -> idsBySplitVersion.computeIfAbsent(((SplitRefreshed) env.data()).splitVersion(),
                        v -> new java.util.HashSet<>()).add(env.id()));
        idsBySplitVersion.forEach((v, ids) -> assertEquals(1, ids.size(), "split version " + v + " published by " + ids));
        assertEquals(split.getLong("splitVersion"), idsBySplitVersion.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
    }

    @Test
    @Order(4)
    void aPublishedVersionReachesAWebhookReceiverCorrectlySigned() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> delivery = new HashMap<>();
            delivery.put("body", body);
            for (String h : List.of("Loupe-Event", "Loupe-Delivery", "Loupe-Timestamp", "Loupe-Signature")) {
                delivery.put(h, exchange.getRequestHeaders().getFirst(h));
            }
            received.add(delivery);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            given().baseUri(dataset).contentType(ContentType.JSON)
                    .body(Map.of("url", hookUrl, "events", List.of("dev.loupe.dataset.version-published"), "secret", SECRET))
                    .post("/api/webhooks").then().statusCode(201);
            String versionId = given().baseUri(dataset).contentType(ContentType.JSON)
                    .body(Map.of("name", "e2e-1", "note", "after the e2e relabels"))
                    .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("versionId");

            await("webhook delivery", () -> received, r -> !r.isEmpty(), 60);
            Map<String, String> delivery = received.getFirst();
            assertEquals("dev.loupe.dataset.version-published", delivery.get("Loupe-Event"));
            String expected = "v1=" + hmac(SECRET, delivery.get("Loupe-Timestamp") + "." + delivery.get("body"));
            assertEquals(expected, delivery.get("Loupe-Signature"));
            long age = Instant.now().getEpochSecond() - Long.parseLong(delivery.get("Loupe-Timestamp"));
            assertTrue(age >= 0 && age < 120, "timestamp age " + age);
            JsonPath event = new JsonPath(delivery.get("body"));
            assertTrue(delivery.get("body").contains(versionId), delivery.get("body"));
            assertTrue(event.prettify().contains(project), "payload names the project");

            // the version's export holds every included item under train/ or val/
            byte[] zip = given().baseUri(dataset).get("/api/versions/{v}/export", versionId).then().statusCode(200)
                    .extract().asByteArray();
            int entries = 0;
            int images = 0;
            try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
                java.util.zip.ZipEntry entry;
                while ((entry = in.getNextEntry()) != null) {
                    entries++;
                    if (entry.getName().startsWith("train/") || entry.getName().startsWith("val/")) {
                        images++;
                    }
                }
            }
            assertEquals(items, images);
            assertEquals(items + 1, entries);
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * The restore drill: everything stops, the backup taken in Order 3 is restored, the stack starts again on an empty
     * broker. The label service holds exactly the backup's labels and versions (the later relabels, version and
     * accounts are gone); the split and the map catch up with it by themselves, the changes that were in flight at
     * backup time (published, not applied by the dead dataset service) included; no outbox row is left.
     */
    @Test
    @Order(6)
    void aRestoredBackupBringsEveryServiceToItsMomentByItself() throws Exception {
        STACK.stop();
        StackBackup.Summary restored = new StackBackup(dataDir).restore(backup);
        restored.lines().forEach(l -> System.out.println("PipelineIT restore: " + l));
        assertTrue(restored.lines().stream().anyMatch(l -> l.contains("data.before-restore-")), restored.lines().toString());
        start();
        assertEquals(atBackup, StackState.labelsAndVersions(label, project), "every item's label and version after the restore");
        await("the split and the map agree with the restored labels",
                () -> StackState.splitAndMapAgree(label, dataset, embedding, project, items), agree -> agree, 180);
        assertEquals(0, given().baseUri(dataset).get("/api/projects/{id}/versions", project).then().statusCode(200)
                .extract().jsonPath().getList("$").size(), "the version published after the backup is gone");
        await("every outbox drained", () -> StackState.unpublished(config, "label") + StackState.unpublished(config, "embedding") + StackState.unpublished(config, "dataset"),
                n -> n == 0, 60);
    }

    // --- helpers

    private JsonPath split() {
        return given().baseUri(dataset).get("/api/projects/{id}/split", project).jsonPath();
    }

    private JsonPath assignment(String itemId) {
        return given().baseUri(dataset).queryParam("itemId", itemId).get("/api/projects/{id}/split/items", project)
                .then().statusCode(200).extract().jsonPath();
    }

    private static void relabelTo(Map<String, Object> item, String to, Map<String, Long> finalVersion,
                                  Map<String, String> finalLabel) {
        String id = (String) item.get("id");
        finalVersion.put(id, relabel(id, ((Number) item.get("version")).longValue(), to));
        finalLabel.put(id, to);
    }

    private static long relabel(String itemId, long version, String to) {
        return given().baseUri(label).contentType(ContentType.JSON).header("If-Match", "\"" + version + "\"")
                .body(Map.of("label", to, "reason", "e2e")).put("/api/items/{id}/label", itemId)
                .then().statusCode(200).extract().jsonPath().getLong("version");
    }

    private static int total(JsonPath split) {
        return sum(split.getMap("counts.train")) + sum(split.getMap("counts.val"));
    }

    private static int sum(Map<String, ?> counts) {
        return counts == null ? 0 : counts.values().stream().mapToInt(v -> ((Number) v).intValue()).sum();
    }

    @Test
    @Order(5)
    void twoUsersInTwoProjectsSeeNothingOfEachOther() throws Exception {
        String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
        String alice = "alice-" + suffix;
        String bob = "bob-" + suffix;
        dev.loupe.testing.TestAuth.createUser(label, alice, "alice-password");
        dev.loupe.testing.TestAuth.createUser(label, bob, "bob-password");
        String bobProject = given().baseUri(label).contentType(ContentType.JSON)
                .body(Map.of("name", "bob-" + suffix, "classes", List.of("i", "ii"))).post("/api/projects")
                .then().statusCode(201).extract().path("id");
        dev.loupe.testing.TestAuth.setMembers(label, project, Map.of(alice, "viewer"));
        dev.loupe.testing.TestAuth.setMembers(label, bobProject, Map.of(bob, "admin"));
        String aliceToken = dev.loupe.testing.TestAuth.token(label, alice, "alice-password", null);
        String bobToken = dev.loupe.testing.TestAuth.token(label, bob, "bob-password", null);
        // a webhook of alice's project (made by the administrator) and bob's own
        given().baseUri(dataset).contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/alice", "projectId", project,
                "events", List.of("dev.loupe.dataset.version-published"), "secret", SECRET)).post("/api/webhooks").then().statusCode(201);
        given().baseUri(dataset).header("Authorization", "Bearer " + bobToken).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/bob", "projectId", bobProject,
                        "events", List.of("dev.loupe.dataset.version-published"), "secret", SECRET))
                .post("/api/webhooks").then().statusCode(201);
        String item = given().baseUri(label).get("/api/projects/{id}/items?size=1", project).then().statusCode(200)
                .extract().path("items[0].id");
        String version = given().baseUri(dataset).get("/api/projects/{id}/versions", project).then().statusCode(200)
                .extract().path("[0].versionId");

        List<String[]> aliceThings = List.of(
                new String[] {label, "/api/projects/" + project},
                new String[] {label, "/api/projects/" + project + "/items"},
                new String[] {label, "/api/items/" + item},
                new String[] {label, "/api/items/" + item + "/image"},
                new String[] {embedding, "/api/projects/" + project + "/map"},
                new String[] {embedding, "/api/projects/" + project + "/findings"},
                new String[] {dataset, "/api/projects/" + project + "/split"},
                new String[] {dataset, "/api/projects/" + project + "/versions"},
                new String[] {dataset, "/api/versions/" + version + "/export"});
        for (String[] thing : aliceThings) {
            given().baseUri(thing[0]).header("Authorization", "Bearer " + aliceToken).get(thing[1]).then()
                    .statusCode(200);
            given().baseUri(thing[0]).header("Authorization", "Bearer " + bobToken).get(thing[1]).then()
                    .statusCode(404);
        }
        // the live change feed of alice's project is not bob's either
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var feed = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(label + "/api/projects/" + project + "/changes"))
                .header("Authorization", "Bearer " + bobToken).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(404, feed.statusCode());
        // lists show only one's own
        List<String> bobSees = given().baseUri(label).header("Authorization", "Bearer " + bobToken).get("/api/projects")
                .then().statusCode(200).extract().path("id");
        assertEquals(List.of(bobProject), bobSees);
        List<String> bobHooks = given().baseUri(dataset).header("Authorization", "Bearer " + bobToken).get("/api/webhooks")
                .then().statusCode(200).extract().path("url");
        assertEquals(List.of("http://127.0.0.1:9/bob"), bobHooks);
        // alice is a viewer: she may read but not export-and-change, nor see webhooks (admin only)
        given().baseUri(dataset).header("Authorization", "Bearer " + aliceToken).contentType(ContentType.JSON)
                .body(Map.of("name", "alice-try")).post("/api/projects/{id}/versions", project).then().statusCode(403);
        List<String> aliceHooks = given().baseUri(dataset).header("Authorization", "Bearer " + aliceToken).get("/api/webhooks")
                .then().statusCode(200).extract().path("url");
        assertTrue(aliceHooks.isEmpty(), "webhooks are for project admins: " + aliceHooks);
    }

    private static String hmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static <T> T await(String what, java.util.concurrent.Callable<T> probe, Predicate<T> done, int seconds)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(seconds);
        T last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = probe.call();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException notYet) {
                // a service restarting, or a JSON without the field yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + " did not happen within " + seconds + " s; last: "
                + (last instanceof JsonPath j ? j.prettify() : last));
    }
}
