package dev.loupe.dataset.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.events.DatasetVersionPublished;
import dev.loupe.events.EventType;
import dev.loupe.testing.TestAuth;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionalException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration, signed delivery, retries, the log and redelivery against a real receiver, database and broker. */
@QuarkusTest
class WebhookResourceTest {

    private static final String PUBLISHED = EventType.DATASET_VERSION_PUBLISHED.wireName();
    private static final String REFRESHED = EventType.SPLIT_REFRESHED.wireName();
    private static final String SECRET = "test-secret-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static WebhookReceiver receiver;

    @Inject
    WebhookService webhooks;

    @Inject
    DeliveryQueue queue;

    @Inject
    WebhookConfig config;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void testSettings() {
        assertTrue(config.allowLoopback(), "the receiver runs on 127.0.0.1: set %test.loupe.dataset.webhooks.allow-loopback=true");
        assertTrue(config.maxAttempts() >= 3 && config.maxAttempts() <= 5 && config.maxBackoff().toMillis() <= 1000,
                "set %test.loupe.dataset.webhooks.max-attempts=4 and small backoffs (see WEBHOOKS.md)");
    }

    @Test
    void deliveryCarriesTheExactBodyWithAVerifiableSignature() throws Exception {
        UUID project = UUID.randomUUID();
        String path = receiver.path(200);
        var created = given().contentType(ContentType.JSON).header("Loupe-User", "ana")
                .body(Map.of("url", receiver.url(path), "events", List.of(PUBLISHED), "secret", SECRET, "projectId", project))
                .post("/api/webhooks")
                .then().statusCode(201)
                .body("url", equalTo(receiver.url(path)))
                .body("events", equalTo(List.of(PUBLISHED)))
                .body("projectId", equalTo(project.toString()))
                .body("active", equalTo(true))
                .body("secretSet", equalTo(true))
                .body("createdBy", equalTo(TestAuth.ADMIN)) // the caller; Loupe-User counts only from a trusted proxy
                .body("$", not(hasKey("secret")))
                .extract();
        String id = created.path("id");
        assertTrue(created.header("Location").endsWith("/api/webhooks/" + id), created.header("Location"));
        given().get("/api/webhooks/{id}", id).then().statusCode(200).body("id", equalTo(id)).body("$", not(hasKey("secret")));
        // neither another event type nor another project's webhook gets this event
        String otherEvent = register(receiver.path(200), List.of(REFRESHED), project);
        String otherProject = register(receiver.path(200), List.of(PUBLISHED), UUID.randomUUID());

        String payload = json.writeValueAsString(new DatasetVersionPublished(project, UUID.randomUUID(), "v1 \u00e9t\u00e9 \u2713",
                "ab".repeat(32), 3, Map.of("train", Map.of("i", 2), "val", Map.of("i", 1)), 4, 17,
                "/api/versions/x/export", "ana", Instant.parse("2026-11-29T10:15:30Z")));
        int queued = QuarkusTransaction.requiringNew().call(() -> webhooks.enqueue(project, PUBLISHED, payload));
        assertEquals(1, queued);

        WebhookReceiver.Request request = awaitRequests(path, 1).getFirst();
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(body, request.body());
        assertEquals(PUBLISHED, request.header("Loupe-Event"));
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("Loupe-Webhooks/0.1", request.header("User-Agent"));
        long timestamp = Long.parseLong(request.header("Loupe-Timestamp"));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - timestamp) < 60, "timestamp " + timestamp);
        assertTrue(Signer.verify(SECRET, request.header("Loupe-Signature"), request.header("Loupe-Timestamp"), body,
                Instant.now(), Duration.ofMinutes(5)), "signature " + request.header("Loupe-Signature"));
        assertFalse(Signer.verify("another-secret-0123456789", request.header("Loupe-Signature"),
                request.header("Loupe-Timestamp"), body, Instant.now(), Duration.ofMinutes(5)));

        JsonPath delivery = awaitStatus(id, "DELIVERED");
        assertEquals(request.header("Loupe-Delivery"), delivery.getString("id"));
        assertEquals(id, delivery.getString("webhookId"));
        assertEquals(PUBLISHED, delivery.getString("eventType"));
        assertEquals(1, delivery.getInt("attempts"));
        assertEquals(200, delivery.getInt("lastStatusCode"));
        assertNull(delivery.get("lastError"));
        assertNull(delivery.get("nextAttemptAt"));
        assertFalse(Instant.parse(delivery.getString("deliveredAt")).isBefore(Instant.parse(delivery.getString("createdAt"))));
        // the single delivery shows the payload as JSON
        assertEquals("v1 \u00e9t\u00e9 \u2713", delivery.getString("payload.name"));
        assertEquals(3, delivery.getInt("payload.items"));

        given().get("/api/webhooks/{id}/deliveries", otherEvent).then().statusCode(200).body("$", equalTo(List.of()));
        given().get("/api/webhooks/{id}/deliveries", otherProject).then().statusCode(200).body("$", equalTo(List.of()));
    }

    /** loupe_dataset_webhook_attempts_total{outcome=...} from /q/metrics. */
    private static double attempts(String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^loupe_dataset_webhook_attempts_total\\{[^}]*outcome=\"" + outcome
                + "\"[^}]*} ([0-9.eE+]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void failingReceiverIsRetriedWithBackoffUntilItAccepts() {
        UUID project = UUID.randomUUID();
        double retriesBefore = attempts("retry");
        double deliveredBefore = attempts("delivered");
        String path = receiver.path(500, 503, 200);
        String id = register(path, List.of(PUBLISHED), project);
        enqueue(project, PUBLISHED, "{\"attempt\":\"until it works\"}");

        JsonPath delivery = awaitStatus(id, "DELIVERED");
        assertEquals(3, delivery.getInt("attempts"));
        assertEquals(200, delivery.getInt("lastStatusCode"));
        // operators see the outcomes as metrics (other tests deliver concurrently: at least these)
        assertTrue(attempts("retry") - retriesBefore >= 2, "two retries counted");
        assertTrue(attempts("delivered") - deliveredBefore >= 1, "one delivery counted");
        List<WebhookReceiver.Request> requests = receiver.requests(path);
        assertEquals(3, requests.size());
        // the same delivery id every time, so a receiver can drop duplicates; each attempt signed afresh
        for (WebhookReceiver.Request request : requests) {
            assertEquals(delivery.getString("id"), request.header("Loupe-Delivery"));
            assertTrue(Signer.verify(SECRET, request.header("Loupe-Signature"), request.header("Loupe-Timestamp"),
                    request.body(), Instant.now(), Duration.ofMinutes(5)));
        }
        long initial = config.initialBackoff().toMillis();
        long firstGap = (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
        long secondGap = (requests.get(2).receivedNanos() - requests.get(1).receivedNanos()) / 1_000_000;
        assertTrue(firstGap >= initial * 8 / 10, "first retry after " + firstGap + " ms");
        assertTrue(secondGap >= Math.min(2 * initial, config.maxBackoff().toMillis()) * 8 / 10, "second retry after " + secondGap + " ms");
    }

    @Test
    void receiverThatKeepsFailingEndsFailedAndCanBeRedelivered() throws Exception {
        UUID project = UUID.randomUUID();
        String path = receiver.path(500);
        String id = register(path, List.of("*"), project);
        enqueue(project, REFRESHED, "{\"splitVersion\":7}");

        JsonPath failed = awaitStatus(id, "FAILED");
        int max = config.maxAttempts();
        assertEquals(max, failed.getInt("attempts"));
        assertEquals(500, failed.getInt("lastStatusCode"));
        assertEquals("the receiver answered 500", failed.getString("lastError"));
        assertNull(failed.get("nextAttemptAt"));
        Thread.sleep(config.maxBackoff().toMillis() + 300);
        assertEquals(max, receiver.requests(path).size(), "no attempt after FAILED");

        receiver.answer(path, 204);
        String original = failed.getString("id");
        var again = given().post("/api/webhooks/{id}/deliveries/{d}/redeliver", id, original)
                .then().statusCode(202)
                .body("redeliveryOf", equalTo(original))
                .body("status", equalTo("PENDING"))
                .body("attempts", equalTo(0))
                .extract();
        String copy = again.path("id");
        assertNotEquals(original, copy);
        assertTrue(again.header("Location").endsWith("/api/webhooks/" + id + "/deliveries/" + copy), again.header("Location"));

        JsonPath delivered = await(() -> delivery(id, copy), d -> "DELIVERED".equals(d.getString("status")));
        assertEquals(1, delivered.getInt("attempts"));
        assertEquals(204, delivered.getInt("lastStatusCode"));
        List<WebhookReceiver.Request> requests = receiver.requests(path);
        assertEquals(max + 1, requests.size());
        assertEquals(copy, requests.getLast().header("Loupe-Delivery"));
        assertEquals("{\"splitVersion\":7}", new String(requests.getLast().body(), StandardCharsets.UTF_8));
        // the original stays as it was; the log filters by status
        given().get("/api/webhooks/{id}/deliveries?status=FAILED", id).then().statusCode(200)
                .body("id", equalTo(List.of(original)));
        given().get("/api/webhooks/{id}/deliveries?status=delivered", id).then().statusCode(200)
                .body("id", equalTo(List.of(copy)));
        given().get("/api/webhooks/{id}/deliveries?limit=1", id).then().statusCode(200)
                .body("id", equalTo(List.of(copy)));
    }

    @Test
    void redirectIsNotFollowed() {
        UUID project = UUID.randomUUID();
        String path = receiver.path(302);
        String id = register(path, List.of(PUBLISHED), project);
        enqueue(project, PUBLISHED, "{}");

        JsonPath failed = awaitStatus(id, "FAILED");
        assertEquals(302, failed.getInt("lastStatusCode"));
        assertEquals("the receiver answered 302 (redirects are not followed)", failed.getString("lastError"));
        assertEquals(List.of(), receiver.requests("/elsewhere"));
    }

    @Test
    void targetThatBecameForbiddenFailsAtOnceWithoutSending() {
        UUID project = UUID.randomUUID();
        // as if the webhook's host name now resolved to a private address (registration would refuse it)
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO webhook (id, url, events, secret, project_id, active, created_at, created_by)
                        VALUES (?1, 'http://10.0.0.1:9/hook', ARRAY['*'], ?2, ?3, TRUE, now(), 'test')""")
                .setParameter(1, id).setParameter(2, SECRET).setParameter(3, project).executeUpdate());
        enqueue(project, PUBLISHED, "{}");

        JsonPath failed = awaitStatus(id.toString(), "FAILED");
        assertEquals(1, failed.getInt("attempts"));
        assertNull(failed.get("lastStatusCode"));
        assertEquals("not sent: url host 10.0.0.1 resolves to a private address (10.0.0.1), which is not allowed",
                failed.getString("lastError"));
    }

    @Test
    void forbiddenOrMalformedUrlsAre422NamingUrlAndNothingIsStored() {
        int before = webhookCount();
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "ftp://x",
                "http://10.0.0.1/", "http://[::ffff:169.254.169.254]/", "http://0.0.0.0:8084/", "http://host.invalid/hook")) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("url", url, "events", List.of(PUBLISHED), "secret", SECRET))
                    .post("/api/webhooks")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("status", equalTo(422))
                    .body("errors.field", equalTo(List.of("url")));
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("url", "http://169.254.169.254/", "events", List.of(PUBLISHED), "secret", SECRET))
                .post("/api/webhooks")
                .then().body("errors[0].message", equalTo(
                        "host 169.254.169.254 resolves to a cloud metadata address (169.254.169.254), which is not allowed"));
        given().contentType(ContentType.JSON)
                .body(Map.of("url", "http://host.invalid/hook", "events", List.of(PUBLISHED), "secret", SECRET))
                .post("/api/webhooks")
                .then().body("errors[0].message", equalTo("host host.invalid does not resolve"));
        assertEquals(before, webhookCount());
    }

    @Test
    void everyInvalidFieldIsNamedAndBadBodiesAre400() {
        int before = webhookCount();
        given().contentType(ContentType.JSON).body("{}").post("/api/webhooks")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("url", "events", "secret")));
        Map<String, Object> bad = new HashMap<>();
        bad.put("url", receiver.url("/x"));
        bad.put("events", List.of(PUBLISHED, "dev.loupe.item.added", "nonsense"));
        bad.put("secret", "too-short");
        given().contentType(ContentType.JSON).body(bad).post("/api/webhooks")
                .then().statusCode(422)
                .body("errors.field", equalTo(List.of("events[1]", "events[2]", "secret")));
        given().contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/x"), "events", List.of(), "secret", SECRET))
                .post("/api/webhooks").then().statusCode(422).body("errors.field", equalTo(List.of("events")));
        given().contentType(ContentType.JSON).body("{\"url\": \"http://x\", \"events\": [")
                .post("/api/webhooks").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"url\":\"" + receiver.url("/x") + "\",\"events\":[\"*\"],\"secret\":\"" + SECRET + "\",\"projectId\":\"nope\"}")
                .post("/api/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("projectId"));
        given().contentType(ContentType.JSON).post("/api/webhooks")
                .then().statusCode(400).contentType("application/problem+json");
        assertEquals(before, webhookCount());
    }

    @Test
    void deletedWebhookIsGoneWithItsLogAndUnknownIdsAre404() {
        UUID project = UUID.randomUUID();
        String path = receiver.path(200);
        String id = register(path, List.of(PUBLISHED), project);
        enqueue(project, PUBLISHED, "{}");
        String delivery = awaitStatus(id, "DELIVERED").getString("id");

        given().get("/api/webhooks").then().body("id", hasItem(id));
        given().delete("/api/webhooks/{id}", id).then().statusCode(204);
        given().get("/api/webhooks/{id}", id).then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/webhooks/{id}", id).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/webhooks/{id}/deliveries", id).then().statusCode(404);
        given().post("/api/webhooks/{id}/deliveries/{d}/redeliver", id, delivery).then().statusCode(404);
        given().get("/api/webhooks").then().body("id", not(hasItem(id)));
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM webhook_delivery WHERE webhook_id = ?1").setParameter(1, UUID.fromString(id))
                .getSingleResult()).intValue()));
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> webhooks.enqueue(project, PUBLISHED, "{}")));

        String other = register(receiver.path(200), List.of(PUBLISHED), project);
        given().get("/api/webhooks/{id}/deliveries/{d}", other, UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().post("/api/webhooks/{id}/deliveries/{d}/redeliver", other, UUID.randomUUID()).then().statusCode(404);
        // a delivery of another webhook is not found under this one
        String second = register(receiver.path(200), List.of(REFRESHED), project);
        enqueue(project, REFRESHED, "{}");
        String foreign = awaitStatus(second, "DELIVERED").getString("id");
        given().get("/api/webhooks/{id}/deliveries/{d}", other, foreign).then().statusCode(404);
        given().get("/api/webhooks/{id}", "not-a-uuid").then().statusCode(404);
    }

    @Test
    void pendingDeliveryCannotBeRedeliveredYet() {
        UUID project = UUID.randomUUID();
        String path = receiver.path(200);
        receiver.delay(path, Duration.ofSeconds(3));
        String id = register(path, List.of(PUBLISHED), project);
        enqueue(project, PUBLISHED, "{}");
        awaitRequests(path, 1);

        JsonPath pending = deliveries(id, null);
        assertEquals("PENDING", pending.getString("[0].status"));
        given().post("/api/webhooks/{id}/deliveries/{d}/redeliver", id, pending.getString("[0].id"))
                .then().statusCode(409).contentType("application/problem+json");
        awaitStatus(id, "DELIVERED");
        assertEquals(1, deliveries(id, null).getList("$").size());
    }

    @Test
    void webhookForAllProjectsAndEventsGetsEveryEvent() {
        String path = receiver.path(200);
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url(path), "events", List.of("*"), "secret", SECRET))
                .post("/api/webhooks").then().statusCode(201).body("projectId", nullValue()).extract().path("id");
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                webhooks.enqueue(UUID.randomUUID(), REFRESHED, "{\"n\":1}");
                webhooks.enqueue(null, PUBLISHED, "{\"n\":2}");
            });
            awaitRequests(path, 2);
            assertEquals(List.of(PUBLISHED, REFRESHED),
                    receiver.requests(path).stream().map(r -> r.header("Loupe-Event")).sorted().toList());
        } finally {
            given().delete("/api/webhooks/{id}", id).then().statusCode(204);
        }
    }

    @Test
    void enqueueJoinsTheCallersTransactionAndRollsBackWithIt() {
        UUID project = UUID.randomUUID();
        String path = receiver.path(200);
        String id = register(path, List.of(PUBLISHED), project);
        assertThrows(TransactionalException.class, () -> webhooks.enqueue(project, PUBLISHED, "{}"));
        assertThrows(IllegalArgumentException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> webhooks.enqueue(project, PUBLISHED, "not json")));
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            webhooks.enqueue(project, PUBLISHED, "{}");
            throw new IllegalStateException("the version could not be stored");
        }));
        given().get("/api/webhooks/{id}/deliveries", id).then().statusCode(200).body("$", equalTo(List.of()));
    }

    @Test
    void badLogQueriesAre422() {
        String id = register(receiver.path(200), List.of(PUBLISHED), UUID.randomUUID());
        given().get("/api/webhooks/{id}/deliveries?status=LOST&limit=0", id)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("status", "limit")));
        given().get("/api/webhooks/{id}/deliveries?limit=many", id)
                .then().statusCode(422).body("errors.field", equalTo(List.of("limit")));
        given().get("/api/webhooks/{id}/deliveries?limit=501", id).then().statusCode(422);
    }

    @Test
    void oldFinishedDeliveriesArePurgedPendingOnesKept() {
        UUID project = UUID.randomUUID();
        String id = register(receiver.path(200), List.of(PUBLISHED), project);
        UUID old = UUID.randomUUID();
        UUID oldPending = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO webhook_delivery (id, webhook_id, event_type, payload, status, attempts, next_attempt_at, created_at)
                        VALUES (?1, ?3, 'x', '{}', 'DELIVERED', 1, NULL, now() - interval '40 days'),
                               (?2, ?3, 'x', '{}', 'PENDING', 0, now() + interval '1 day', now() - interval '40 days')""")
                .setParameter(1, old).setParameter(2, oldPending).setParameter(3, UUID.fromString(id)).executeUpdate());
        assertTrue(queue.purge(Duration.ofDays(30)) >= 1);
        assertEquals(List.of(oldPending.toString()), deliveries(id, null).getList("id"));
    }

    @Test
    void concurrentClaimersNeverGetTheSameDelivery() throws Exception {
        UUID project = UUID.randomUUID();
        String path = receiver.path(200);
        UUID id = UUID.fromString(register(path, List.of(PUBLISHED), project));
        int deliveries = 40;
        // four more "instances" claim alongside this one's worker and record their claims as delivered, unsent
        Set<UUID> claimedHere = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        List<Future<?>> instances = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                instances.add(pool.submit(() -> {
                    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    while (System.nanoTime() < until) {
                        for (DeliveryQueue.Claim claim : queue.claim(3, Duration.ofMinutes(1))) {
                            if (!claim.webhookId().equals(id)) {
                                queue.failed(claim, null, "claimed by a test", true); // not ours: back to its schedule
                            } else if (!claimedHere.add(claim.deliveryId()) | !queue.delivered(claim, 299)) {
                                duplicates.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            QuarkusTransaction.requiringNew().run(() -> {
                for (int i = 0; i < deliveries; i++) {
                    webhooks.enqueue(project, PUBLISHED, "{\"n\":" + i + "}");
                }
            });
            for (Future<?> instance : instances) {
                instance.get();
            }
        }
        JsonPath log = await(() -> deliveries(id.toString(), "DELIVERED&limit=500"), l -> l.getList("$").size() == deliveries);
        List<String> sent = receiver.requests(path).stream().map(r -> r.header("Loupe-Delivery")).toList();
        assertEquals(0, duplicates.get());
        assertEquals(sent.size(), Set.copyOf(sent).size(), "a delivery was sent twice");
        assertTrue(sent.stream().noneMatch(d -> claimedHere.contains(UUID.fromString(d))), "claimed by two instances");
        assertEquals(deliveries, sent.size() + claimedHere.size());
        assertTrue(log.getList("attempts", Integer.class).stream().allMatch(a -> a == 1), log.prettify());
    }

    private String register(String path, List<String> events, UUID project) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url(path), "events", events, "secret", SECRET, "projectId", project))
                .post("/api/webhooks")
                .then().statusCode(201).extract().path("id");
    }

    private void enqueue(UUID project, String type, String payload) {
        int queued = QuarkusTransaction.requiringNew().call(() -> webhooks.enqueue(project, type, payload));
        assertTrue(queued >= 1, "queued " + queued);
    }

    private int webhookCount() {
        return given().get("/api/webhooks").then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    private static JsonPath deliveries(String webhookId, String status) {
        return given().get("/api/webhooks/{id}/deliveries" + (status == null ? "" : "?status=" + status), webhookId)
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath delivery(String webhookId, String deliveryId) {
        return given().get("/api/webhooks/{id}/deliveries/{d}", webhookId, deliveryId)
                .then().statusCode(200).extract().jsonPath();
    }

    /** The webhook's only delivery once it has {@code status}. */
    private static JsonPath awaitStatus(String webhookId, String status) {
        JsonPath log = await(() -> deliveries(webhookId, null),
                l -> l.getList("$").size() == 1 && status.equals(l.getString("[0].status")));
        return delivery(webhookId, log.getString("[0].id"));
    }

    private static List<WebhookReceiver.Request> awaitRequests(String path, int count) {
        return await(() -> receiver.requests(path), r -> r.size() >= count);
    }

    private static <T> T await(Supplier<T> poll, Predicate<T> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T value = poll.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + WAIT.toSeconds() + " s; last seen: " + value);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            value = poll.get();
        }
        return value;
    }
}
