package dev.loupe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.events.EventCodec;
import dev.loupe.events.SplitRefreshed;
import dev.loupe.events.Topics;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.LoupeStackTestResource;
import dev.loupe.testing.TestAuth;
import dev.loupe.testing.TopicReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Faults under load. While label changes stream in (bulk requests and single relabels), PostgreSQL is killed
 * (SIGKILL) and started again, the broker is killed and started again, every service is killed once and started
 * again, and the broker is frozen (SIGSTOP) for {@code loupe.soak.freeze-seconds} (15 here, 30 in the long run). Then:
 * <ul>
 *   <li>every change answered 2xx is in the label service at its version, and in the split and the embedding
 *       service at the label service's final version and label (nothing lost);</li>
 *   <li>no split version was published by two refreshes, every item is once in the split, and each item's history
 *       has one entry per version (nothing applied twice);</li>
 *   <li>no outbox row of any service is left unpublished, and every service is ready again with no hand restart;</li>
 *   <li>a request that met the database down was answered 503 problem+json with Retry-After, never a 500.</li>
 * </ul>
 * It prints its counts. {@code ./loupe test} runs one round; benchmarks/soak/run.sh runs several
 * ({@code loupe.soak.rounds}) with the broker frozen 30 s each time.
 */
class SoakIT {

    private static final List<String> SERVICES = List.of("label-service", "embedding-service", "augment-service",
            "dataset-service", "trainer-service");
    private static final List<String> SCHEMAS = List.of("label", "embedding", "augment", "dataset", "trainer");
    private static final List<String> LABELS = SyntheticSpec.ROMAN_I_TO_X;
    private static final int PER_CLASS = 15;
    private static final int ROUNDS = Integer.getInteger("loupe.soak.rounds", 1);
    private static final int FREEZE_SECONDS = Integer.getInteger("loupe.soak.freeze-seconds", 15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoupeStackTestResource stack = new LoupeStackTestResource().withBrokerProcess();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile String label;
    private String token;
    private String project;
    private Map<String, String> config;
    /** What the label service answered 2xx: each item's last accepted version and label. */
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, String> labels = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    @Test
    void changesStreamingThroughEveryKindOfFailureAreAllAppliedOnceAndNothingIsLeftBehind() throws Exception {
        stack.init(Map.of("services", String.join(",", SERVICES)));
        stack.withConfig(Map.of("loupe.trainer.auto", "false"));
        Map<String, Long> phases = new LinkedHashMap<>();
        Instant phase = Instant.now();
        try {
            config = stack.start();
            phase = lap(phases, "stack started", phase);
            label = config.get("loupe.label-service-url");
            TestAuth.useAdminByDefault(label);
            token = TestAuth.adminToken(label);
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ImageFolderZip.write(new RomanNumeralGenerator(new SyntheticSpec(LABELS, PER_CLASS, 0.2, 0, 0, 23)).generate(), zip);
            project = LoupeClient.importZip(label, "soak", LABELS, zip.toByteArray());
            int items = PER_CLASS * LABELS.size();
            waitFor("the import embedded and split", Duration.ofSeconds(240), () -> consistent(items));
            phase = lap(phases, "import embedded and split", phase);
            readItems();
            List<String> ids = new ArrayList<>(versions.keySet());
            ids.sort(null);

            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofPlatform().name("soak-writer").start(() -> stream(ids, stop));
            Map<String, Long> faults = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
            for (int round = 0; round < ROUNDS; round++) {
                pause(2);
                faults.put("postgres killed", timed(() -> {
                    stack.killPostgres();
                    pause(8); // requests meet the database down (longer than the pool's 5 s wait for a connection)
                    stack.restartPostgres();
                }));
                pause(2);
                faults.put("broker killed", timed(() -> {
                    stack.broker().kill();
                    pause(2);
                    stack.broker().start();
                }));
                // each service killed once, two seconds apart; each starts again while the next one dies
                List<Thread> restarts = new ArrayList<>();
                for (String service : SERVICES) {
                    pause(2);
                    stack.kill(service);
                    restarts.add(Thread.ofPlatform().start(() -> {
                        try {
                            faults.put(service + " killed, ready again", timed(() -> stack.restart(service)));
                        } catch (Exception e) {
                            violations.add(service + " did not start again: " + e);
                        }
                    }));
                }
                for (Thread t : restarts) {
                    t.join();
                }
                pause(1);
                faults.put("broker frozen " + FREEZE_SECONDS + " s", timed(() -> {
                    stack.broker().freeze();
                    pause(FREEZE_SECONDS);
                    stack.broker().thaw();
                }));
            }
            pause(2);
            stop.set(true);
            writer.join();
            phase = lap(phases, "faults under load", phase);

            // every service ready again by itself
            for (String service : SERVICES) {
                String url = stack.service(service).url();
                waitFor(service + " ready", Duration.ofSeconds(120), () -> status(url + "/q/health/ready") == 200);
            }
            TestAuth.useAdminByDefault(label);
            // nothing lost, everywhere
            waitFor("the split and the map hold every accepted change", Duration.ofSeconds(180), () -> consistent(items));
            phase = lap(phases, "every service ready, split and map caught up", phase);
            Map<String, String> truth = labelService();
            for (var e : versions.entrySet()) {
                String[] t = truth.get(e.getKey()).split("@");
                assertTrue(Long.parseLong(t[1]) >= e.getValue(), "item " + e.getKey() + " lost accepted version " + e.getValue());
                if (Long.parseLong(t[1]) == e.getValue()) {
                    assertEquals(labels.get(e.getKey()), t[0], "item " + e.getKey() + " at version " + e.getValue());
                }
            }
            // nothing twice: one history entry per version, one refresh per split version, each item once in the split
            for (String id : ids) {
                List<Long> history = given().baseUri(label).get("/api/items/{id}/history", id).then().statusCode(200)
                        .extract().jsonPath().getList("version", Long.class);
                assertEquals(history.size(), new HashSet<>(history).size(), "item " + id + " history " + history);
            }
            Map<Long, Set<UUID>> refreshes = new HashMap<>();
            TopicReader.readUntil(config.get("kafka.bootstrap.servers"), Topics.SPLITS, all -> false, Duration.ofSeconds(3)).stream()
                    .filter(r -> project.equals(r.key())).map(r -> new EventCodec().decode(r.value()))
                    .forEach(env -> refreshes.computeIfAbsent(((SplitRefreshed) env.data()).splitVersion(), v -> new HashSet<>())
                            .add(env.id()));
            refreshes.forEach((v, events) -> assertEquals(1, events.size(), "split version " + v + " published by " + events));
            waitFor("every outbox drained", Duration.ofSeconds(60), () -> SCHEMAS.stream().mapToLong(this::unpublished).sum() == 0);
            lap(phases, "checks", phase);

            System.out.printf("SoakIT: %d rounds; %s; answers %s; faults (ms) %s; phases (ms) %s%n", ROUNDS,
                    versions.size() + " items changed", answers, faults, phases);
            assertTrue(violations.isEmpty(), "answers that break the rules: " + violations);
            assertTrue(answers.getOrDefault("2xx", new AtomicLong()).get() > 0, "no change was accepted at all");
            assertTrue(answers.containsKey("503"), "no request met the database down: the fault did not happen under load");
        } finally {
            stack.stop();
        }
    }

    /** Bulk relabels of 20 and single relabels, back to back, recording every answer. */
    private void stream(List<String> ids, AtomicBoolean stop) {
        int next = 0;
        while (!stop.get()) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(ids.get(next++ % ids.size()));
            }
            try {
                bulk(batch);
                single(ids.get(next++ % ids.size()));
            } catch (java.io.IOException e) {
                answers.computeIfAbsent("unreachable", k -> new AtomicLong()).incrementAndGet();
                pause(0.2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause(0.05);
        }
    }

    private void bulk(List<String> batch) throws java.io.IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("reason", "soak");
        Map<String, String> to = new HashMap<>();
        var changes = body.putArray("changes");
        for (String id : batch) {
            to.put(id, next(id));
            changes.addObject().put("itemId", id).put("version", versions.get(id)).put("label", to.get(id));
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(label + "/api/projects/" + project + "/relabels"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (record(r)) {
            for (JsonNode item : JSON.readTree(r.body()).path("items")) {
                accepted(item.path("id").asText(), item.path("version").asLong(), to.get(item.path("id").asText()));
            }
        } else if (r.statusCode() == 412) {
            readItems(); // a change answered while the client lost the answer (a killed label service): catch up
        }
    }

    private void single(String id) throws java.io.IOException, InterruptedException {
        String to = next(id);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(label + "/api/items/" + id + "/label"))
                .header("Content-Type", "application/json").header("If-Match", "\"" + versions.get(id) + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"label\":\"" + to + "\",\"reason\":\"soak\"}")));
        if (record(r)) {
            accepted(id, JSON.readTree(r.body()).path("version").asLong(), to);
        } else if (r.statusCode() == 412) {
            readItems();
        }
    }

    private synchronized void accepted(String id, long version, String to) {
        if (version > versions.getOrDefault(id, 0L)) {
            versions.put(id, version);
            labels.put(id, to);
        }
    }

    /** Counts the answer; a 5xx other than 503 problem+json with Retry-After is a violation. True for 2xx. */
    private boolean record(HttpResponse<String> r) {
        int s = r.statusCode();
        answers.computeIfAbsent(s / 100 == 2 ? "2xx" : String.valueOf(s), k -> new AtomicLong()).incrementAndGet();
        if (s == 503) {
            if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    || r.headers().firstValue("Retry-After").isEmpty()) {
                violations.add("503 without problem+json and Retry-After: " + r.headers().map() + " " + r.body());
            }
        } else if (s >= 500) {
            violations.add(s + " " + r.request().uri() + ": " + r.body());
        }
        return s / 100 == 2;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws java.io.IOException, InterruptedException {
        return http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String next(String id) {
        return LABELS.get((LABELS.indexOf(labels.get(id)) + 1) % LABELS.size());
    }

    /** Every item's version and label as the label service has them now. */
    private void readItems() {
        labelService().forEach((id, lv) -> {
            String[] t = lv.split("@");
            versions.put(id, Long.parseLong(t[1]));
            labels.put(id, t[0]);
        });
    }

    private Map<String, String> labelService() {
        return StackState.labelsAndVersions(label, project);
    }

    /** The split and the map hold every item with the label service's label (and, in the split, its version). */
    private boolean consistent(int items) {
        try {
            return StackState.splitAndMapAgree(label, stack.service("dataset-service").url(),
                    stack.service("embedding-service").url(), project, items);
        } catch (RuntimeException | AssertionError notYet) {
            return false; // a service restarting
        }
    }

    /** Outbox rows of a service's schema not yet on the broker; -1 while the database cannot be read. */
    private long unpublished(String schema) {
        try {
            return StackState.unpublished(config, schema);
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private interface Fault {
        void run() throws Exception;
    }

    /** Records how long the phase that began at {@code start} took; returns now, the next phase's start. */
    private static Instant lap(Map<String, Long> phases, String name, Instant start) {
        Instant now = Instant.now();
        phases.put(name, Duration.between(start, now).toMillis());
        return now;
    }

    private static long timed(Fault fault) throws Exception {
        Instant t0 = Instant.now();
        fault.run();
        return Duration.between(t0, Instant.now()).toMillis();
    }

    private static void pause(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
    }
}
