package dev.loupe.label;

import dev.loupe.common.inbox.ProcessedEvents;
import dev.loupe.common.outbox.OutboxRelay;
import dev.loupe.devstack.EmbeddedKafka;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.ItemEvent;
import dev.loupe.events.LoupeEvent;
import dev.loupe.events.Topics;
import dev.loupe.testing.InjectKafkaBroker;
import dev.loupe.testing.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changes reach Kafka exactly once in effect when the relay or the broker goes away in the middle of a stream. */
@QuarkusTest
class OutboxResilienceTest {

    private static final Logger LOG = Logger.getLogger(OutboxResilienceTest.class);

    @InjectKafkaBroker
    EmbeddedKafka broker;

    @Inject
    OutboxRelay relay;

    @Inject
    ProcessedEvents processed;

    @Inject
    EntityManager em;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final EventCodec codec = new EventCodec();

    @Test
    void changesMadeWhileTheRelayIsDownArriveWhenItComesBack() {
        String project = LabelApi.createProject();
        List<String> items = addItems(project, 5);
        awaitOutboxDrained();
        relay.stop();
        Map<String, Long> versions = new HashMap<>();
        try {
            items.forEach(id -> versions.put(id, 1L));
            for (int round = 0; round < 4; round++) {
                for (String id : items) {
                    long v = versions.get(id);
                    LabelApi.relabel(id, LabelApi.ROMAN.get((int) (v % 10)), v, "offline").then().statusCode(200);
                    versions.put(id, v + 1);
                }
            }
            assertTrue(relay.backlog() >= 20, "changes wait in the outbox while the relay is down");
        } finally {
            relay.start();
        }
        awaitOutboxDrained();
        Map<String, Map<Long, Set<String>>> seen = eventIdsByItemAndVersion(items, 5 * 5);
        for (String id : items) {
            for (long v = 1; v <= 5; v++) {
                assertEquals(1, seen.get(id).getOrDefault(v, Set.of()).size(), "item " + id + " version " + v);
            }
        }
    }

    @Test
    void everyChangeArrivesExactlyOnceInEffectAcrossABrokerRestart() throws Exception {
        String project = LabelApi.createProject();
        List<String> items = addItems(project, 20);
        AtomicInteger changes = new AtomicInteger();
        int rounds = 15;

        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            Map<String, Long> versions = new HashMap<>();
            items.forEach(id -> versions.put(id, 1L));
            for (int round = 0; round < rounds; round++) {
                for (String id : items) {
                    long v = versions.get(id);
                    // (2 * round + 1) % 10 never repeats the previous round's label, so every call is a change
                    LabelApi.relabel(id, LabelApi.ROMAN.get((2 * round + 1) % 10), v, "stream")
                            .then().statusCode(200);
                    versions.put(id, v + 1);
                    changes.incrementAndGet();
                }
            }
        });
        // stop the broker while changes keep coming, and keep it down until 40 more were made: the API does not wait
        // for Kafka, and the relay's rounds fail meanwhile
        awaitAtLeast(changes, 40, writer);
        Instant down = Instant.now();
        broker.stop();
        int atStop = changes.get();
        try {
            awaitAtLeast(changes, atStop + 40, writer);
        } finally {
            broker.start();
        }
        int duringOutage = changes.get() - atStop;
        LOG.infof("Broker down for %s while %d changes were made", Duration.between(down, Instant.now()), duringOutage);
        assertTrue(duringOutage >= 40, "changes were made while the broker was down: " + duringOutage);
        writer.get();
        awaitOutboxDrained();

        Map<String, JsonPath> histories = new LinkedHashMap<>();
        int expected = 0;
        for (String id : items) {
            JsonPath history = given().get("/api/items/{id}/history", id).then().statusCode(200).extract().jsonPath();
            histories.put(id, history);
            expected += history.getList("$").size();
        }
        assertEquals(items.size() * (rounds + 1), expected, "history holds every change");

        List<ConsumerRecord<String, String>> records = recordsOf(items, expected);
        Map<String, Map<Long, Set<String>>> seen = eventIdsByItemAndVersion(records);
        Set<String> distinct = new HashSet<>();
        for (var record : records) {
            distinct.add(codec.decode(record.value()).id().toString());
        }
        assertEquals(expected, distinct.size(), "one distinct event per change, no more and no less");
        LOG.infof("%d changes, %d records in Kafka (%d redelivered duplicates)", expected, records.size(),
                records.size() - distinct.size());

        // apply the stream like a consumer does: skip seen event ids and versions not newer than the last applied
        Map<String, Long> appliedVersion = new HashMap<>();
        Map<String, String> appliedLabel = new HashMap<>();
        Set<String> handled = new HashSet<>();
        for (var record : records) {
            EventEnvelope<LoupeEvent> event = codec.decode(record.value());
            ItemEvent data = (ItemEvent) event.data();
            if (!handled.add(event.id().toString()) || data.version() <= appliedVersion.getOrDefault(record.key(), 0L)) {
                continue;
            }
            appliedVersion.put(record.key(), data.version());
            appliedLabel.put(record.key(), data.label());
        }
        for (String id : items) {
            JsonPath item = LabelApi.item(id);
            assertEquals(item.getString("label"), appliedLabel.get(id), "label of " + id);
            assertEquals(item.getLong("version"), appliedVersion.get(id), "version of " + id);
            for (long v = 1; v <= rounds + 1; v++) {
                assertEquals(1, seen.get(id).getOrDefault(v, Set.of()).size(), "item " + id + " version " + v);
            }
        }
    }

    @Test
    void aRelayCrashBetweenSendAndMarkRedeliversAndConsumersStillApplyOnce() {
        String project = LabelApi.createProject();
        List<String> items = addItems(project, 10);
        for (String id : items) {
            LabelApi.relabel(id, "vi", 1, "before-crash").then().statusCode(200);
        }
        awaitOutboxDrained();
        // The state a crash leaves between the broker's ack and the commit of the mark: sent, but not marked.
        int reset = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "UPDATE outbox_event SET published_at = NULL WHERE msg_key IN (?1)")
                .setParameter(1, items).executeUpdate());
        assertEquals(20, reset);
        relay.wake();
        awaitOutboxDrained();

        List<ConsumerRecord<String, String>> records = recordsOf(items, 40);
        assertEquals(40, records.size(), "every event went out twice");
        // a consumer using the shared processed-event log applies each change once
        int applied = 0;
        for (var record : records) {
            UUID eventId = codec.decode(record.value()).id();
            applied += QuarkusTransaction.requiringNew().call(() -> processed.markProcessed("crash-test", eventId)) ? 1 : 0;
        }
        assertEquals(20, applied);
    }

    private List<String> addItems(String project, int n) {
        List<String> ids = new ArrayList<>();
        byte[] png = LabelApi.png("iv", 21);
        for (int i = 0; i < n; i++) {
            ids.add(LabelApi.addItem(project, "iv", png).getString("id"));
        }
        return ids;
    }

    private List<ConsumerRecord<String, String>> recordsOf(List<String> items, int atLeast) {
        Set<String> keys = new HashSet<>(items);
        return TopicReader.readUntil(bootstrap, Topics.ITEMS,
                        all -> all.stream().filter(r -> keys.contains(r.key())).count() >= atLeast, Duration.ofSeconds(60))
                .stream().filter(r -> keys.contains(r.key())).toList();
    }

    private Map<String, Map<Long, Set<String>>> eventIdsByItemAndVersion(List<String> items, int atLeast) {
        return eventIdsByItemAndVersion(recordsOf(items, atLeast));
    }

    private Map<String, Map<Long, Set<String>>> eventIdsByItemAndVersion(List<ConsumerRecord<String, String>> records) {
        Map<String, Map<Long, Set<String>>> seen = new HashMap<>();
        for (var record : records) {
            EventEnvelope<LoupeEvent> event = codec.decode(record.value());
            long version = ((ItemEvent) event.data()).version();
            seen.computeIfAbsent(record.key(), k -> new HashMap<>())
                    .computeIfAbsent(version, v -> new HashSet<>())
                    .add(event.id().toString());
        }
        return seen;
    }

    private void awaitOutboxDrained() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (relay.backlog() > 0) {
            assertTrue(Instant.now().isBefore(deadline), "outbox still has " + relay.backlog() + " events: " + relay.lastError());
            sleep(100);
        }
    }

    private static void awaitAtLeast(AtomicInteger counter, int n, CompletableFuture<Void> writer) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (counter.get() < n) {
            if (writer.isCompletedExceptionally()) {
                writer.join(); // throws the writer's failure, not a timeout that hides it
            }
            assertTrue(Instant.now().isBefore(deadline), "only " + counter.get() + " changes made");
            sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
