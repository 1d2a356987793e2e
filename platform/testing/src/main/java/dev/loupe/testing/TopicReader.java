package dev.loupe.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic back from the beginning so tests can assert on what a service published.
 *
 * <p>Each call uses a fresh consumer group, so reads never disturb the service's own groups or
 * each other. On timeout the records seen so far are returned rather than an exception thrown:
 * the caller's assertion then shows what actually arrived.
 */
public final class TopicReader {

    private static final Duration MAX_POLL = Duration.ofMillis(200);

    private TopicReader() {
    }

    /**
     * Polls until {@code done} accepts the records read so far (in poll order; per-partition order
     * is Kafka's order) or {@code timeout} passes.
     */
    public static List<ConsumerRecord<String, String>> readUntil(String bootstrapServers, String topic,
            Predicate<List<ConsumerRecord<String, String>>> done, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> view = Collections.unmodifiableList(records);
            while (!done.test(view)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                Duration poll = Duration.ofNanos(Math.min(remaining, MAX_POLL.toNanos()));
                consumer.poll(poll).forEach(records::add);
            }
        }
        return List.copyOf(records);
    }

    /** Reads until at least {@code minCount} records arrived or {@code timeout} passes. */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic, int minCount,
            Duration timeout) {
        return readUntil(bootstrapServers, topic, records -> records.size() >= minCount, timeout);
    }

    private static Map<String, Object> consumerConfig(String bootstrapServers) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "loupe-topic-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // Nothing to resume later: committing would only leave stray offsets behind.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Reading must not create the topic as a side effect and mask a missing publish.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                // ...which means a topic created after subscribe() is only noticed on the next
                // metadata refresh; the 5-minute default would outlast any test timeout.
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500);
    }
}
