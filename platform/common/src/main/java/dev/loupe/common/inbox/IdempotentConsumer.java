package dev.loupe.common.inbox;

import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.LoupeEvent;
import dev.loupe.events.Topics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes Loupe events exactly once in effect: each poll's new events are applied in one database transaction
 * together with their ids in {@link ProcessedEvents}, and offsets are committed only after that transaction, so a
 * crash anywhere replays events that are then skipped. Bytes that are no event go to the dead-letter topic at once;
 * a batch that keeps failing is retried record by record, and a record that still fails after
 * {@code maxAttempts} goes to the dead-letter topic with its error, so one poison event never stops the stream.
 */
public final class IdempotentConsumer {

    /** Applies fresh (never before processed) events inside the consumer's transaction. */
    public interface Handler {
        void apply(List<EventEnvelope<LoupeEvent>> events);

        /** Runs after the transaction and the offset commit, e.g. to wake background work. */
        default void afterCommit(List<EventEnvelope<LoupeEvent>> events) {
        }
    }

    /** Where to read, as whom, and how hard to retry. */
    public record Settings(String bootstrapServers, String group, List<String> topics, int maxPollRecords,
                           int maxAttempts, Duration retryBackoff) {
    }

    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    private final Settings settings;
    private final Handler handler;
    private final ProcessedEvents processed;
    private final EventCodec codec = new EventCodec();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean running;
    private Thread worker;
    private KafkaConsumer<String, String> consumer;

    public IdempotentConsumer(Settings settings, Handler handler, ProcessedEvents processed) {
        this.settings = settings;
        this.handler = handler;
        this.processed = processed;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = Thread.ofPlatform().name("loupe-consumer-" + settings.group()).daemon().start(this::loop);
    }

    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String group() {
        return settings.group();
    }

    public long appliedCount() {
        return applied.get();
    }

    public long deadLetteredCount() {
        return deadLettered.get();
    }

    /** Publishes {@code loupe_consumer_applied} and {@code loupe_consumer_dead_lettered}, tagged with the group. */
    public void registerMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("loupe.consumer.applied", this, IdempotentConsumer::appliedCount)
                .tag("group", group()).description("Events applied (duplicates not counted)").register(registry);
        io.micrometer.core.instrument.Gauge.builder("loupe.consumer.dead.lettered", this, IdempotentConsumer::deadLetteredCount)
                .tag("group", group()).description("Records sent to the dead-letter topic").register(registry);
    }

    private void loop() {
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> deadLetters = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer())) {
            consumer = kafka;
            kafka.subscribe(settings.topics());
            while (running) {
                ConsumerRecords<String, String> records;
                try {
                    records = kafka.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    handle(kafka, deadLetters, records);
                } catch (WakeupException e) {
                    break;
                } catch (Exception e) {
                    if (!running) {
                        break;
                    }
                    // nothing of this poll is committed: read it again after a pause
                    LOG.warnf("Consumer %s: retrying %d records after: %s", settings.group(), records.count(), e);
                    rewind(kafka, records);
                    TimeUnit.MILLISECONDS.sleep(settings.retryBackoff().toMillis());
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } catch (Exception e) {
            LOG.errorf(e, "Consumer %s stopped on an unexpected error", settings.group());
        } finally {
            consumer = null;
        }
    }

    private void handle(KafkaConsumer<String, String> kafka, KafkaProducer<String, String> deadLetters,
                        ConsumerRecords<String, String> records) throws Exception {
        List<Decoded> batch = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                batch.add(new Decoded(record, codec.decode(record.value())));
            } catch (EventCodec.MalformedEventException e) {
                deadLetter(deadLetters, record, e.getMessage());
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                List<EventEnvelope<LoupeEvent>> fresh = applyInTransaction(batch);
                commit(kafka, records);
                afterCommit(fresh);
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    throw e;
                }
                LOG.warnf("Consumer %s: batch of %d failed (attempt %d): %s", settings.group(), batch.size(), attempt, e);
                if (attempt >= settings.maxAttempts()) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(settings.retryBackoff().toMillis() * attempt);
            }
        }
        // the batch keeps failing: isolate the poison record(s) one by one
        for (Decoded one : batch) {
            for (int attempt = 1; ; attempt++) {
                try {
                    afterCommit(applyInTransaction(List.of(one)));
                    break;
                } catch (RuntimeException e) {
                    if (attempt >= settings.maxAttempts()) {
                        deadLetter(deadLetters, one.record(), e.toString());
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(settings.retryBackoff().toMillis() * attempt);
                }
            }
        }
        commit(kafka, records);
    }

    private List<EventEnvelope<LoupeEvent>> applyInTransaction(List<Decoded> batch) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<EventEnvelope<LoupeEvent>> fresh = new ArrayList<>();
            for (Decoded d : batch) {
                if (processed.markProcessed(settings.group(), d.envelope().id())) {
                    fresh.add(d.envelope());
                }
            }
            if (!fresh.isEmpty()) {
                handler.apply(fresh);
            }
            return fresh;
        });
    }

    private void afterCommit(List<EventEnvelope<LoupeEvent>> fresh) {
        applied.addAndGet(fresh.size());
        if (!fresh.isEmpty()) {
            try {
                handler.afterCommit(fresh);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Consumer %s: after-commit work failed", settings.group());
            }
        }
    }

    private static void rewind(KafkaConsumer<String, String> kafka, ConsumerRecords<String, String> records) {
        for (TopicPartition partition : records.partitions()) {
            kafka.seek(partition, records.records(partition).getFirst().offset());
        }
    }

    private static void commit(KafkaConsumer<String, String> kafka, ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.getLast().offset() + 1));
        }
        kafka.commitSync(offsets);
    }

    private void deadLetter(KafkaProducer<String, String> producer, ConsumerRecord<String, String> record, String reason) throws Exception {
        String topic = Topics.deadLetter(record.topic(), settings.group());
        ProducerRecord<String, String> letter = new ProducerRecord<>(topic, record.key(), record.value());
        letter.headers().add("loupe-error", reason.getBytes(StandardCharsets.UTF_8));
        letter.headers().add("loupe-origin", (record.topic() + "/" + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
        producer.send(letter).get(30, TimeUnit.SECONDS);
        deadLettered.incrementAndGet();
        LOG.warnf("Consumer %s: %s/%d@%d sent to %s: %s", settings.group(), record.topic(), record.partition(),
                record.offset(), topic, reason);
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, settings.group(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, settings.group() + "-consumer");
    }

    private Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, settings.group() + "-dlq");
    }

    private record Decoded(ConsumerRecord<String, String> record, EventEnvelope<LoupeEvent> envelope) {
    }
}
