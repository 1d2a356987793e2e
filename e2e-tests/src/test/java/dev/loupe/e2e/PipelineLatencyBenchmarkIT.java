package dev.loupe.e2e;

import dev.loupe.events.Topics;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.SyntheticSpec;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmark (not a test: tagged, run by benchmarks/pipeline/run.sh): how long a label change takes to be in the
 * split, and how many label changes per second the whole pipeline absorbs, on the packaged services as processes.
 * The peer, measured in the same run on the same changes: the moment the label service's event is on the broker
 * (label change to ItemLabelChanged readable on loupe.items), i.e. the cost of the event hop itself.
 */
@Tag("benchmark")
class PipelineLatencyBenchmarkIT {

    private static final int WARM_UP = 50;
    private static final int CHANGES = Integer.getInteger("loupe.bench.changes", 500);
    private static final int PER_CLASS = 100;

    @Test
    void latencyAndThroughputOfLabelChangesThroughThePipeline() throws Exception {
        LoupeStackTestResource stack = new LoupeStackTestResource();
        stack.init(Map.of("services", "label-service,embedding-service,dataset-service"));
        Map<String, String> config = stack.start();
        // every request of this test carries the first administrator's API token
        dev.loupe.testing.TestAuth.useAdminByDefault(config.get("loupe.label-service-url"));
        String label = config.get("loupe.label-service-url");
        String dataset = config.get("loupe.dataset-service-url");
        Map<String, Long> onBus = new ConcurrentHashMap<>();
        Thread watcher = null;
        try {
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ImageFolderZip.write(new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, PER_CLASS, 0.2, 0, 0, 3))
                    .generate(), zip);
            String project = LoupeClient.importZip(label, "bench", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
            int items = PER_CLASS * SyntheticSpec.ROMAN_I_TO_X.size();
            awaitSplitTotal(dataset, project, items);

            // the peer: when each label change is readable on the broker
            watcher = Thread.ofPlatform().daemon().start(() -> watch(config.get("kafka.bootstrap.servers"), onBus));
            List<Map<String, Object>> all = given().baseUri(label).queryParam("size", items).get("/api/projects/{id}/items", project)
                    .then().statusCode(200).extract().jsonPath().getList("items");
            Map<String, Long> versions = new HashMap<>();
            Map<String, String> current = new HashMap<>();
            all.forEach(i -> {
                versions.put((String) i.get("id"), ((Number) i.get("version")).longValue());
                current.put((String) i.get("id"), (String) i.get("label"));
            });
            List<String> ids = new ArrayList<>(versions.keySet());
            ids.sort(null);
            Thread.sleep(2000); // the watcher's consumer joins its group

            // latency: one change at a time, each waited for in the split
            double[] split = new double[CHANGES];
            double[] bus = new double[CHANGES];
            double[] accepted = new double[CHANGES];
            String[] labels = SyntheticSpec.ROMAN_I_TO_X.toArray(String[]::new);
            for (int n = -WARM_UP; n < CHANGES; n++) {
                String id = ids.get(Math.floorMod(n * 7919, ids.size()));
                // always a different label: relabelling to the same one is a no-op without an event
                int now = Arrays.asList(labels).indexOf(current.get(id));
                String to = labels[(now + 1 + Math.floorMod(n, labels.length - 1)) % labels.length];
                current.put(id, to);
                long t0 = System.nanoTime();
                long version = given().baseUri(label).contentType(ContentType.JSON).header("If-Match", "\"" + versions.get(id) + "\"")
                        .body(Map.of("label", to, "reason", "bench")).put("/api/items/{id}/label", id)
                        .then().statusCode(200).extract().jsonPath().getLong("version");
                long t1 = System.nanoTime();
                versions.put(id, version);
                boolean reached = given().baseUri(dataset).queryParam("itemId", id).queryParam("minVersion", version)
                        .queryParam("wait", 30).get("/api/projects/{id}/split", project).then().statusCode(200)
                        .extract().jsonPath().getBoolean("reached");
                long t2 = System.nanoTime();
                assertTrue(reached, "change " + n + " never reached the split");
                if (n >= 0) {
                    Long seen = awaitOnBus(onBus, id + "@" + version);
                    accepted[n] = (t1 - t0) / 1e6;
                    split[n] = (t2 - t0) / 1e6;
                    bus[n] = (seen - t0) / 1e6;
                }
            }

            // throughput: every item relabelled once, in bulk requests of 100, as fast as the label service takes them
            long start = System.nanoTime();
            Map<String, Long> expected = new HashMap<>();
            for (int from = 0; from < ids.size(); from += 100) {
                List<Map<String, Object>> changes = new ArrayList<>();
                for (String id : ids.subList(from, Math.min(ids.size(), from + 100))) {
                    int now = Arrays.asList(labels).indexOf(current.get(id));
                    changes.add(Map.of("itemId", id, "version", versions.get(id), "label", labels[(now + 1) % labels.length]));
                }
                List<Map<String, Object>> done = given().baseUri(label).contentType(ContentType.JSON)
                        .body(Map.of("reason", "bench bulk", "changes", changes)).post("/api/projects/{id}/relabels", project)
                        .then().statusCode(200).extract().jsonPath().getList("items");
                done.forEach(i -> expected.put((String) i.get("id"), ((Number) i.get("version")).longValue()));
            }
            long acceptedAt = System.nanoTime();
            long lastOnBus = awaitAllOnBus(onBus, expected);
            awaitSplitVersions(dataset, project, expected);
            long inSplitAt = System.nanoTime();

            ByteArrayOutputStream text = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
            out.printf("# %s, %d cores; %d items (synthetic, 10 classes); %d sequential single label changes after %d warm-up;"
                            + " command: benchmarks/pipeline/run.sh%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                    items, CHANGES, WARM_UP);
            out.printf("label change accepted (PUT answered)       p50 %6.1f ms  p95 %6.1f ms%n", pct(accepted, 50), pct(accepted, 95));
            out.printf("PEER event on the broker (loupe.items)     p50 %6.1f ms  p95 %6.1f ms%n", pct(bus, 50), pct(bus, 95));
            out.printf("LOUPE change included in the split         p50 %6.1f ms  p95 %6.1f ms%n", pct(split, 50), pct(split, 95));
            out.printf("RATIO split latency / event-on-broker latency: p50 %.2fx, p95 %.2fx%n",
                    pct(split, 50) / pct(bus, 50), pct(split, 95) / pct(bus, 95));
            double seconds = (inSplitAt - start) / 1e9;
            out.printf("throughput: %d label changes in bulk requests of 100: accepted in %.2f s, all on the broker after %.2f s,"
                            + " all in the split after %.2f s = %.0f changes/s through the pipeline%n", expected.size(),
                    (acceptedAt - start) / 1e9, (lastOnBus - start) / 1e9, seconds, expected.size() / seconds);
            out.printf("RATIO pipeline time / broker time for the bulk: %.2fx%n", seconds / ((lastOnBus - start) / 1e9));
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

    private static void watch(String bootstrap, Map<String, Long> onBus) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "group.id", "bench-" + UUID.randomUUID(),
                "auto.offset.reset", "latest", "enable.auto.commit", "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.ITEMS));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    JsonPath event = new JsonPath(r.value());
                    onBus.putIfAbsent(r.key() + "@" + event.getLong("data.version"), now);
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // stopped
        }
    }

    private static Long awaitOnBus(Map<String, Long> onBus, String key) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            Long t = onBus.get(key);
            if (t != null) {
                return t;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(key + " never seen on " + Topics.ITEMS);
    }

    private static long awaitAllOnBus(Map<String, Long> onBus, Map<String, Long> expected) throws InterruptedException {
        long last = 0;
        for (var e : expected.entrySet()) {
            last = Math.max(last, awaitOnBus(onBus, e.getKey() + "@" + e.getValue()));
        }
        return last;
    }

    private static void awaitSplitTotal(String dataset, String project, int items) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(300);
        while (Instant.now().isBefore(deadline)) {
            var response = given().baseUri(dataset).get("/api/projects/{id}/split", project);
            if (response.statusCode() == 200) {
                JsonPath s = response.jsonPath();
                int total = 0;
                for (String side : List.of("train", "val")) {
                    Map<String, Integer> counts = s.getMap("counts." + side);
                    total += counts == null ? 0 : counts.values().stream().mapToInt(Integer::intValue).sum();
                }
                if (total == items && s.getBoolean("current")) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("split never had all " + items + " items");
    }

    private static void awaitSplitVersions(String dataset, String project, Map<String, Long> expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> rows = given().baseUri(dataset).queryParam("size", 10000)
                    .get("/api/projects/{id}/split/items", project).then().statusCode(200).extract().jsonPath().getList("items");
            long behind = rows.stream().filter(r -> ((Number) r.get("itemVersion")).longValue()
                    < expected.getOrDefault((String) r.get("itemId"), 0L)).count();
            if (behind == 0 && rows.size() == expected.size()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the split never caught up with the bulk changes");
    }

    private static double pct(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
