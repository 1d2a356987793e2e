package dev.loupe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.e2e.bench.FloorPeers;
import dev.loupe.e2e.bench.Stats;
import dev.loupe.events.Topics;
import dev.loupe.testing.DcaiDataset;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.LoupeStackTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmark (not a test: tagged, run by benchmarks/pipeline/run.sh): label changes through the whole product, all
 * five packaged services as processes on one embedded broker and database, on the real DCAI project.
 * <ol>
 *   <li>the floors, measured in the same run: a bare Kafka producer-to-consumer round trip and a bare PostgreSQL
 *       update-and-commit loop ({@link FloorPeers});</li>
 *   <li>throughput: {@code loupe.bench.changes} changes (default 100,000) in bulk requests of {@code loupe.bench.bulk}
 *       from {@code loupe.bench.clients} clients, until the refreshed split and the embedding service's state hold
 *       them all; then every item's label is compared across the label service, the split and the map;</li>
 *   <li>latency under load: while a background client relabels 1,000 items a second, single relabels each waited for
 *       in the split, and the reads the web page makes, each timed.</li>
 * </ol>
 * Loupe's numbers are printed with their ratios to the floors.
 */
@Tag("benchmark")
class PipelineBenchmarkIT {

    private static final int CHANGES = Integer.getInteger("loupe.bench.changes", 100_000);
    private static final int BULK = Integer.getInteger("loupe.bench.bulk", 500);
    private static final int CLIENTS = Integer.getInteger("loupe.bench.clients", 2);
    private static final int SINGLES = Integer.getInteger("loupe.bench.singles", 300);
    private static final int BACKGROUND_PER_SECOND = Integer.getInteger("loupe.bench.background", 1000);
    private static final List<String> LABELS = dev.loupe.synthetic.SyntheticSpec.ROMAN_I_TO_X;
    private static final ObjectMapper JSON = new ObjectMapper();

    private String label;
    private String embedding;
    private String dataset;
    private String project;
    /** Each item's current version and label, as the label service last answered. */
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, String> labels = new ConcurrentHashMap<>();
    /** What the watcher saw on loupe.items: item events, the highest sequence, and when each item@version arrived. */
    private final AtomicLong eventsSeen = new AtomicLong();
    private final AtomicLong maxSequence = new AtomicLong();
    private final Map<String, Long> onBus = new ConcurrentHashMap<>();
    private volatile boolean recordArrivals;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    private String token;

    @Test
    void labelChangesThroughThePipeline() throws Exception {
        Path dcai = DcaiDataset.requireOrSkip();
        LoupeStackTestResource stack = new LoupeStackTestResource();
        stack.init(Map.of("services", "label-service,embedding-service,augment-service,dataset-service,trainer-service"));
        stack.withConfig(Map.of("loupe.trainer.auto", "false"));
        Map<String, String> config = stack.start();
        dev.loupe.testing.TestAuth.useAdminByDefault(config.get("loupe.label-service-url"));
        label = config.get("loupe.label-service-url");
        embedding = config.get("loupe.embedding-service-url");
        dataset = config.get("loupe.dataset-service-url");
        token = dev.loupe.testing.TestAuth.adminToken(label);
        String bootstrap = config.get("kafka.bootstrap.servers");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        Thread watcher = null;
        try {
            Path zip = Files.createTempFile("dcai-", ".zip");
            project = LoupeClient.importZip(label, "bench", LABELS, Files.readAllBytes(DcaiDataset.zip(dcai, zip, "train", "val")));
            Files.delete(zip);
            int items = awaitImported();
            List<String> ids = new ArrayList<>(versions.keySet());
            ids.sort(null);
            waitFor("every item embedded", Duration.ofMinutes(10), () -> {
                JsonPath s = given().baseUri(embedding).get("/api/projects/{id}/embeddings/status", project).jsonPath();
                return s.getInt("embedded") + s.getInt("failed") == items;
            });
            waitFor("a split of every item", Duration.ofMinutes(2), () -> {
                JsonPath s = split();
                return sum(s.getMap("counts.train")) + sum(s.getMap("counts.val")) == items && s.getBoolean("current");
            });
            out.printf("# %s, %d cores; the DCAI 2021 project (train+val, %d items); five services, embedded broker and database%n",
                    Instant.now(), Runtime.getRuntime().availableProcessors(), items);

            // the floors
            FloorPeers.Floor kafka = FloorPeers.kafka(bootstrap, Integer.getInteger("loupe.bench.partitions", 3),
                    CHANGES, 700, 300);
            FloorPeers.PostgresFloor pg = FloorPeers.postgres(config.get("quarkus.datasource.jdbc.url"),
                    config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"), items, 2000,
                    CHANGES, BULK);
            out.printf("PEER kafka round trip (700-byte records, acks=all): %,.0f records/s; one record p50 %.1f ms p95 %.1f ms%n",
                    kafka.perSecond(), kafka.p50Millis(), kafka.p95Millis());
            out.printf("PEER postgres update+commit: one row per commit %,.0f/s (p50 %.2f ms p95 %.2f ms);"
                            + " %d rows per commit %,.0f rows/s%n", pg.singleCommits().perSecond(),
                    pg.singleCommits().p50Millis(), pg.singleCommits().p95Millis(), BULK, pg.batchedPerSecond());

            watcher = Thread.ofPlatform().daemon().start(() -> watch(bootstrap));
            Thread.sleep(2000); // the watcher joins its group

            // throughput
            long seenBefore = eventsSeen.get();
            long start = System.nanoTime();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                List<String> mine = new ArrayList<>();
                for (int i = c; i < ids.size(); i += CLIENTS) {
                    mine.add(ids.get(i));
                }
                int quota = CHANGES / CLIENTS + (c < CHANGES % CLIENTS ? 1 : 0);
                clients.add(Thread.ofPlatform().start(() -> {
                    try {
                        int sent = 0;
                        for (int next = 0; sent < quota; ) {
                            List<String> batch = new ArrayList<>();
                            while (batch.size() < Math.min(BULK, quota - sent)) {
                                batch.add(mine.get(next++ % mine.size()));
                            }
                            relabelAll(batch, "bench throughput");
                            sent += batch.size();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : clients) {
                t.join();
            }
            assertTrue(failures.isEmpty(), "bulk relabels failed: " + failures);
            long acceptedAt = System.nanoTime();
            waitFor("every change on the broker", Duration.ofMinutes(10), () -> eventsSeen.get() - seenBefore >= CHANGES);
            long onBrokerAt = System.nanoTime();
            long last = maxSequence.get();
            long[] reached = new long[2];
            waitFor("the split and the embedding service have every change", Duration.ofMinutes(20), () -> {
                if (reached[0] == 0) {
                    JsonPath s = split();
                    if (s.getLong("labelsSeen") >= last && s.getBoolean("current")) {
                        reached[0] = System.nanoTime();
                    }
                }
                if (reached[1] == 0 && given().baseUri(embedding).get("/api/projects/{id}/embeddings/status", project)
                        .jsonPath().getLong("lastEventApplied") >= last) {
                    reached[1] = System.nanoTime();
                }
                return reached[0] != 0 && reached[1] != 0;
            }, 10);
            double acceptedS = (acceptedAt - start) / 1e9;
            double brokerS = (onBrokerAt - start) / 1e9;
            double splitS = (reached[0] - start) / 1e9;
            double embeddingS = (reached[1] - start) / 1e9;
            double throughput = CHANGES / Math.max(splitS, embeddingS);
            out.printf("LOUPE throughput: %,d changes in bulk requests of %d from %d clients: accepted in %.1f s (%,.0f/s),"
                            + " all on the broker after %.1f s, all in the split after %.1f s, all in the embedding service after %.1f s"
                            + " = %,.0f changes/s through the pipeline%n", CHANGES, BULK, CLIENTS, acceptedS, CHANGES / acceptedS,
                    brokerS, splitS, embeddingS, throughput);
            out.printf("RATIO throughput / kafka floor %.3f; / postgres %d-per-commit floor %.3f; / postgres one-per-commit floor %.2f%n",
                    throughput / kafka.perSecond(), BULK, throughput / pg.batchedPerSecond(), throughput / pg.singleCommits().perSecond());
            int checked = checkEverywhere(ids);
            out.printf("consistency: all %d items have the label service's label and version in the split and its label on the map%n",
                    checked);

            // latency under load
            latencyUnderLoad(ids, kafka, out);
            System.out.print(text);
            String results = System.getProperty("loupe.bench.results");
            if (results != null && !results.isBlank()) {
                Files.writeString(Path.of(results), text.toString());
            }
        } finally {
            if (watcher != null) {
                watcher.interrupt();
            }
            stack.stop();
        }
    }

    /** Singles on odd items, each waited for in the split, and the web page's reads, while the even items stream. */
    private void latencyUnderLoad(List<String> ids, FloorPeers.Floor kafka, PrintStream out) throws Exception {
        List<String> background = new ArrayList<>();
        List<String> single = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            (i % 2 == 0 ? background : single).add(ids.get(i));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicLong streamed = new AtomicLong();
        int perRequest = Math.max(1, BACKGROUND_PER_SECOND / 10);
        Thread streamer = Thread.ofPlatform().start(() -> {
            try {
                long tick = System.nanoTime();
                for (int next = 0; !stop.get(); ) {
                    List<String> batch = new ArrayList<>();
                    while (batch.size() < perRequest) {
                        batch.add(background.get(next++ % background.size()));
                    }
                    relabelAll(batch, "bench background");
                    streamed.addAndGet(batch.size());
                    tick += 100_000_000L;
                    long wait = tick - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        Map<String, List<Double>> readTimes = new LinkedHashMap<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                Map<String, String[]> reads = pageReads(single.getFirst());
                reads.keySet().forEach(k -> readTimes.put(k, new CopyOnWriteArrayList<>()));
                while (!stop.get()) {
                    for (var read : reads.entrySet()) {
                        long t0 = System.nanoTime();
                        given().baseUri(read.getValue()[0]).get(read.getValue()[1]).then().statusCode(200).extract().asByteArray();
                        readTimes.get(read.getKey()).add((System.nanoTime() - t0) / 1e6);
                    }
                    Thread.sleep(50);
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        long loadStart = System.nanoTime();
        Thread.sleep(3000); // the stream reaches its pace
        recordArrivals = true;
        double[] accepted = new double[SINGLES];
        double[] inSplit = new double[SINGLES];
        double[] bus = new double[SINGLES];
        for (int n = 0; n < SINGLES; n++) {
            String id = single.get((n * 7919) % single.size());
            String to = nextLabel(id);
            long t0 = System.nanoTime();
            long version = given().baseUri(label).contentType(ContentType.JSON).header("If-Match", "\"" + versions.get(id) + "\"")
                    .body(Map.of("label", to, "reason", "bench single")).put("/api/items/{id}/label", id)
                    .then().statusCode(200).extract().jsonPath().getLong("version");
            long t1 = System.nanoTime();
            versions.put(id, version);
            labels.put(id, to);
            boolean inTime = given().baseUri(dataset).queryParam("itemId", id).queryParam("minVersion", version)
                    .queryParam("wait", 30).get("/api/projects/{id}/split", project).then().statusCode(200)
                    .extract().jsonPath().getBoolean("reached");
            long t2 = System.nanoTime();
            assertTrue(inTime, "single change " + n + " never reached the split");
            accepted[n] = (t1 - t0) / 1e6;
            inSplit[n] = (t2 - t0) / 1e6;
            Long seen = awaitOnBus(id + "@" + version);
            bus[n] = (seen - t0) / 1e6;
            Thread.sleep(20);
        }
        stop.set(true);
        streamer.join();
        reader.join();
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        assertTrue(failures.isEmpty(), "background work failed: " + failures);
        out.printf("latency under load: %d single relabels while %,d changes streamed in the background (%,.0f/s)%n",
                SINGLES, streamed.get(), streamed.get() / loadSeconds);
        out.printf("  single relabel accepted (PUT answered)     p50 %6.1f ms  p95 %6.1f ms%n", Stats.pct(accepted, 50), Stats.pct(accepted, 95));
        out.printf("  its event on the broker                    p50 %6.1f ms  p95 %6.1f ms%n", Stats.pct(bus, 50), Stats.pct(bus, 95));
        out.printf("LOUPE single relabel in the split           p50 %6.1f ms  p95 %6.1f ms%n", Stats.pct(inSplit, 50), Stats.pct(inSplit, 95));
        out.printf("RATIO in-split latency / kafka one-record floor: p50 %.1fx, p95 %.1fx%n",
                Stats.pct(inSplit, 50) / kafka.p50Millis(), Stats.pct(inSplit, 95) / kafka.p95Millis());
        out.printf("LOUPE the web page's reads under that load (n each, p50 / p95 ms):%n");
        readTimes.forEach((name, times) -> {
            double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
            out.printf("  %-22s n %4d  p50 %6.1f  p95 %6.1f%n", name, t.length, Stats.pct(t, 50), Stats.pct(t, 95));
        });
    }

    /** Every REST read the web page makes, by name: {base URL, path}. */
    private Map<String, String[]> pageReads(String item) {
        String ids = String.join(",", versions.keySet().stream().sorted().limit(100).toList());
        Map<String, String[]> reads = new LinkedHashMap<>();
        reads.put("projects", new String[] {label, "/api/projects"});
        reads.put("grid page", new String[] {label, "/api/projects/" + project + "/items?size=100&page=0"});
        reads.put("grid page, filtered", new String[] {label, "/api/projects/" + project + "/items?label=vii&split=val&size=100&page=2"});
        reads.put("grid page by ids", new String[] {label, "/api/projects/" + project + "/items?ids=" + ids + "&size=100"});
        reads.put("excluded count", new String[] {label, "/api/projects/" + project + "/items?size=1&page=0&excluded=true"});
        reads.put("item", new String[] {label, "/api/items/" + item});
        reads.put("item history", new String[] {label, "/api/items/" + item + "/history"});
        reads.put("thumbnail", new String[] {label, "/api/items/" + item + "/image?size=96"});
        reads.put("embedding status", new String[] {embedding, "/api/projects/" + project + "/embeddings/status"});
        reads.put("map", new String[] {embedding, "/api/projects/" + project + "/map"});
        reads.put("findings", new String[] {embedding, "/api/projects/" + project + "/findings?limit=5000&allowStale=true"});
        reads.put("neighbours", new String[] {embedding, "/api/items/" + item + "/neighbors?k=8"});
        reads.put("review queue", new String[] {embedding, "/api/projects/" + project + "/review-queue?allowStale=true"});
        reads.put("split", new String[] {dataset, "/api/projects/" + project + "/split"});
        reads.put("split items page", new String[] {dataset, "/api/projects/" + project + "/split/items?size=1000&page=0"});
        reads.put("versions", new String[] {dataset, "/api/projects/" + project + "/versions"});
        return reads;
    }

    /**
     * One bulk relabel of these items, each to its next label, with the versions last answered. Sent with the JDK's
     * HTTP client and Jackson rather than RestAssured: the client shares the machine with the services, so it should
     * cost as little as a real script's would.
     */
    private void relabelAll(List<String> batch, String reason) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("reason", reason);
        com.fasterxml.jackson.databind.node.ArrayNode changes = body.putArray("changes");
        Map<String, String> to = new java.util.HashMap<>();
        for (String id : batch) {
            String next = nextLabel(id);
            to.put(id, next);
            changes.addObject().put("itemId", id).put("version", versions.get(id)).put("label", next);
        }
        java.net.http.HttpResponse<byte[]> response = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(label + "/api/projects/" + project + "/relabels"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        for (JsonNode item : JSON.readTree(response.body()).path("items")) {
            String id = item.path("id").asText();
            versions.put(id, item.path("version").asLong());
            labels.put(id, to.get(id));
        }
    }

    private String nextLabel(String id) {
        return LABELS.get((LABELS.indexOf(labels.get(id)) + 1) % LABELS.size());
    }

    /** Every item's label and version as the label service has them, in the split and on the map. */
    private int checkEverywhere(List<String> ids) {
        Map<String, Object[]> inLabel = new java.util.HashMap<>();
        for (int page = 0; ; page++) {
            List<Map<String, Object>> rows = given().baseUri(label).queryParam("size", 1000).queryParam("page", page)
                    .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getList("items");
            rows.forEach(r -> inLabel.put((String) r.get("id"), new Object[] {r.get("label"), ((Number) r.get("version")).longValue()}));
            if (rows.size() < 1000) {
                break;
            }
        }
        List<Map<String, Object>> assigned = given().baseUri(dataset).queryParam("size", 10000)
                .get("/api/projects/{id}/split/items", project).then().statusCode(200).extract().jsonPath().getList("items");
        assertEquals(ids.size(), assigned.size(), "items in the split");
        for (Map<String, Object> a : assigned) {
            Object[] truth = inLabel.get((String) a.get("itemId"));
            assertEquals(truth[0], a.get("label"), "split label of " + a.get("itemId"));
            assertEquals(truth[1], ((Number) a.get("itemVersion")).longValue(), "split version of " + a.get("itemId"));
            assertEquals(labels.get((String) a.get("itemId")), truth[0], "the label the benchmark last set");
        }
        JsonPath map = given().baseUri(embedding).get("/api/projects/{id}/map", project).then().statusCode(200).extract().jsonPath();
        List<String> mapIds = map.getList("itemIds");
        List<String> mapLabels = map.getList("labels");
        assertEquals(ids.size(), mapIds.size(), "items on the map");
        for (int i = 0; i < mapIds.size(); i++) {
            assertEquals(inLabel.get(mapIds.get(i))[0], mapLabels.get(i), "map label of " + mapIds.get(i));
        }
        return assigned.size();
    }

    private int awaitImported() throws InterruptedException {
        waitFor("the import", Duration.ofMinutes(5), () -> List.of("COMPLETED", "FAILED").contains(
                given().baseUri(label).get("/api/projects/{id}/imports", project).jsonPath().getString("[0].status")));
        for (int page = 0; ; page++) {
            List<Map<String, Object>> rows = given().baseUri(label).queryParam("size", 1000).queryParam("page", page)
                    .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getList("items");
            rows.forEach(r -> {
                versions.put((String) r.get("id"), ((Number) r.get("version")).longValue());
                labels.put((String) r.get("id"), (String) r.get("label"));
            });
            if (rows.size() < 1000) {
                return versions.size();
            }
        }
    }

    private void watch(String bootstrap) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "group.id", "bench-" + UUID.randomUUID(),
                "auto.offset.reset", "latest", "enable.auto.commit", "false", "max.poll.records", 2000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.ITEMS));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(5))) {
                    long now = System.nanoTime();
                    JsonNode event = JSON.readTree(r.value());
                    maxSequence.accumulateAndGet(event.path("loupesequence").asLong(), Math::max);
                    eventsSeen.incrementAndGet();
                    if (recordArrivals) {
                        onBus.putIfAbsent(r.key() + "@" + event.path("data").path("version").asLong(), now);
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // stopped
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Long awaitOnBus(String key) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            Long t = onBus.get(key);
            if (t != null) {
                return t;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(key + " never seen on " + Topics.ITEMS);
    }

    private JsonPath split() {
        return given().baseUri(dataset).get("/api/projects/{id}/split", project).then().statusCode(200).extract().jsonPath();
    }

    private static int sum(Map<String, ?> counts) {
        return counts == null ? 0 : counts.values().stream().mapToInt(v -> ((Number) v).intValue()).sum();
    }

    private static void waitFor(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        waitFor(what, timeout, done, 250);
    }

    private static void waitFor(String what, Duration timeout, BooleanSupplier done, long pollMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(pollMillis);
        }
    }
}
