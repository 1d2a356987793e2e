package dev.loupe.dataset.event;

import dev.loupe.common.inbox.Inbox;
import dev.loupe.dataset.config.DatasetConfig;
import dev.loupe.devstack.EmbeddedKafka;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.InjectKafkaBroker;
import dev.loupe.testing.LoupeClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heart of Loupe through a broker outage: relabels keep being accepted while Kafka is down, and the production
 * consumer ({@link DatasetEventsConsumer} on its {@code @Incoming} channel, through the {@link Inbox}) applies every
 * one of them to the split once the broker is back, in order, with nothing dead-lettered.
 */
@QuarkusTest
class BrokerOutageTest {

    private static final Logger LOG = Logger.getLogger(BrokerOutageTest.class);
    private static final List<String> ROMAN = List.of("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x");

    @InjectKafkaBroker
    EmbeddedKafka broker;

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Inject
    Inbox inbox;

    @Inject
    DatasetConfig config;

    @Test
    void relabelsMadeWhileTheBrokerIsDownReachTheSplitThroughTheProductionConsumer() throws Exception {
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 2, 0.2, 0, 0, 31)).generate();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        String project = LoupeClient.importZip(labelUrl, "outage", ROMAN, zip.toByteArray());
        List<String> items = awaitItems(project, samples.size());
        awaitSplitHolds(project, items.size());
        long deadBefore = inbox.deadLetteredCount(config.consumerGroup());
        long appliedBefore = inbox.appliedCount(config.consumerGroup());

        Map<String, Long> versions = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        items.forEach(id -> versions.put(id, 1L));
        AtomicInteger changes = new AtomicInteger();
        AtomicInteger duringOutage = new AtomicInteger();
        int rounds = 6;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int round = 0; round < rounds; round++) {
                for (String id : items) {
                    String label = ROMAN.get((2 * round + 1 + items.indexOf(id)) % 10);
                    long v = versions.get(id);
                    long next = given().baseUri(labelUrl).contentType(ContentType.JSON).header("If-Match", "\"" + v + "\"")
                            .body(Map.of("label", label, "reason", "outage")).put("/api/items/{id}/label", id)
                            .then().statusCode(200).extract().jsonPath().getLong("version");
                    versions.put(id, next);
                    labels.put(id, label);
                    changes.incrementAndGet();
                    if (!broker.isRunning()) {
                        duringOutage.incrementAndGet();
                    }
                }
            }
        });
        awaitAtLeast(changes, items.size(), writer);
        broker.stop();
        try {
            // the writes overlap the outage: the label service takes them into its outbox without waiting for Kafka
            awaitAtLeast(duringOutage, items.size(), writer);
        } finally {
            broker.start();
        }
        writer.get();
        LOG.infof("%d relabels, %d of them while the broker was down", changes.get(), duringOutage.get());
        assertTrue(duringOutage.get() >= items.size(), "relabels were accepted during the outage: " + duringOutage.get());

        for (String id : items) {
            given().queryParam("itemId", id).queryParam("minVersion", versions.get(id)).queryParam("wait", 60)
                    .get("/api/projects/{id}/split", project).then().statusCode(200);
        }
        JsonPath assignments = given().queryParam("size", 1000).get("/api/projects/{id}/split/items", project)
                .then().statusCode(200).extract().jsonPath();
        for (String id : items) {
            List<String> label = assignments.getList("items.findAll { it.itemId == '" + id + "' }.label");
            assertEquals(List.of(labels.get(id)), label, "the split has the last label of " + id);
        }
        assertEquals(deadBefore, inbox.deadLetteredCount(config.consumerGroup()), "nothing was dead-lettered for the outage");
        assertTrue(inbox.appliedCount(config.consumerGroup()) - appliedBefore >= changes.get(),
                "the consumer applied every relabel");

        // the extension's health checks and metrics cover the channel, next to the inbox's own
        given().get("/q/health/ready").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(DatasetEventsConsumer.CHANNEL));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("loupe_consumer_applied{group=\"" + config.consumerGroup() + "\""), "inbox metrics");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("kafka_consumer_fetch_manager_records_consumed_total")
                        && line.contains("dataset-events")),
                "Kafka consumer metrics of the channel's client: " + metrics.lines().filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_consumed_total")).toList());
    }

    private List<String> awaitItems(String project, int n) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            JsonPath page = given().baseUri(labelUrl).queryParam("size", 1000).get("/api/projects/{id}/items", project)
                    .then().statusCode(200).extract().jsonPath();
            if (page.getList("items").size() == n) {
                return page.getList("items.id");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the import did not create " + n + " items in time");
    }

    private void awaitSplitHolds(String project, int n) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            var response = given().queryParam("size", 1000).get("/api/projects/{id}/split/items", project);
            if (response.statusCode() == 200 && response.jsonPath().getList("items").size() == n) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the split did not take in " + n + " items in time");
    }

    private static void awaitAtLeast(AtomicInteger counter, int n, CompletableFuture<Void> writer) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (counter.get() < n) {
            if (writer.isCompletedExceptionally()) {
                writer.join();
            }
            assertTrue(Instant.now().isBefore(deadline), "only " + counter.get() + " of " + n + " relabels made in time");
            Thread.sleep(20);
        }
    }
}
