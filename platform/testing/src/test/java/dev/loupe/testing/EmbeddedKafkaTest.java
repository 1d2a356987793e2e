package dev.loupe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.logging.Logger;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import dev.loupe.devstack.EmbeddedKafka;

/** One broker for the class: starting it dominates the run time. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedKafkaTest {

    private static final int RECORDS = 100;
    private static final int KEYS = 10;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private Path dataDir;
    private EmbeddedKafka kafka;
    private List<Logger> quietedLoggers;

    @BeforeAll
    void startBroker() {
        // Producer warnings while the broker is deliberately down are expected here too.
        quietedLoggers = ServerLogs.quiet(ServerLogs.KAFKA_BROKER);
        dataDir = TestDirectories.newUnderTarget("embedded-kafka-selftest");
        kafka = EmbeddedKafka.start(0, dataDir);
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
        TestDirectories.deleteQuietly(dataDir);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void idempotentProducerLosesNothingAndKeepsKeyOrderAcrossBrokerRestart() throws Exception {
        String topic = "restart-selftest";
        createTopic(topic, 3);
        String bootstrapBefore = kafka.bootstrapServers();

        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS / 2; i++) {
                acks.add(producer.send(record(topic, i)));
            }
            // Stop with the first half possibly still in flight and bring the broker back while
            // the second half is being sent: the producer has to buffer and retry, and must
            // neither fail, drop, duplicate nor reorder. (send() itself blocks while the broker
            // is down because the client drops its metadata, hence the restart on another thread.)
            kafka.stop();
            assertFalse(kafka.isRunning());
            CompletableFuture<Void> starting = CompletableFuture.runAsync(kafka::start);
            for (int i = RECORDS / 2; i < RECORDS; i++) {
                acks.add(producer.send(record(topic, i)));
            }
            starting.get(2, TimeUnit.MINUTES);
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                assertTrue(ack.get(30, TimeUnit.SECONDS).hasOffset());
            }
        }

        assertEquals(bootstrapBefore, kafka.bootstrapServers());
        List<ConsumerRecord<String, String>> read = TopicReader.readAll(kafka.bootstrapServers(), topic, RECORDS,
                READ_TIMEOUT);

        assertEquals(RECORDS, read.size(), "records read back");
        Map<String, List<Integer>> sequencesByKey = read.stream().collect(Collectors.groupingBy(
                ConsumerRecord::key, LinkedHashMap::new,
                Collectors.mapping(r -> sequenceOf(r.value()), Collectors.toList())));
        List<Integer> expectedPerKey = IntStream.range(0, RECORDS / KEYS).boxed().toList();
        assertEquals(KEYS, sequencesByKey.size(), "distinct keys");
        sequencesByKey.forEach((key, sequences) -> assertEquals(expectedPerKey, sequences, "sequence of " + key));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void readerPicksUpATopicCreatedAfterItSubscribed() throws Exception {
        String topic = "late-topic";
        Future<List<ConsumerRecord<String, String>>> reading = CompletableFuture.supplyAsync(
                () -> TopicReader.readAll(kafka.bootstrapServers(), topic, 3, READ_TIMEOUT));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(record(topic, i)).get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(List.of("key-0:0", "key-1:0", "key-2:0"), sortedValues(reading.get(90, TimeUnit.SECONDS)));
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void readerReturnsWhatItHasOnTimeout() throws Exception {
        String topic = "short-topic";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(),
                new StringSerializer(), new StringSerializer())) {
            producer.send(record(topic, 0)).get(30, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<String, String>> read = TopicReader.readAll(kafka.bootstrapServers(), topic, 5,
                Duration.ofSeconds(5));
        assertEquals(List.of("key-0:0"), read.stream().map(ConsumerRecord::value).toList());
    }

    private ProducerRecord<String, String> record(String topic, int i) {
        String key = "key-" + (i % KEYS);
        return new ProducerRecord<>(topic, key, key + ":" + (i / KEYS));
    }

    private static List<String> sortedValues(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).sorted().toList();
    }

    private static int sequenceOf(String value) {
        return Integer.parseInt(value.substring(value.indexOf(':') + 1));
    }

    private Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                // Must outlast the restart (several seconds on a busy 2-core machine).
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.LINGER_MS_CONFIG, 5);
    }

    private void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }
}
