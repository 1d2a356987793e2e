package dev.loupe.common.inbox;

import dev.loupe.common.util.TransientFailures;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.LoupeEvent;
import dev.loupe.events.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies a batch from an {@code @Incoming} Kafka channel exactly once in effect. A service's consumer is a small
 * bean with one {@code @Incoming @Blocking} method that hands its {@link KafkaRecordBatch} here:
 * <ul>
 *   <li>the batch's new events are applied in one database transaction together with their ids in
 *       {@link ProcessedEvents}, and the batch is acknowledged (its offsets committed by the connector's throttled
 *       strategy) only after that transaction, so a crash anywhere replays events that are then skipped;</li>
 *   <li>bytes that are no event are dead-lettered at once, through the connector's {@code dead-letter-queue}
 *       failure strategy, to {@link Topics#deadLetter(String, String)} with a {@code loupe-error} header;</li>
 *   <li>a batch that keeps failing is retried event by event, and an event that still fails after
 *       {@link InboxConfig#maxAttempts()} is dead-lettered the same way, so one poison event never stops the
 *       stream;</li>
 *   <li>a failure that will pass by itself (the database down or restarting) is never the event's fault: the
 *       batch is retried, with a capped backoff, until it goes through, and nothing is dead-lettered for it.</li>
 * </ul>
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);

    private final ProcessedEvents processed;
    private final InboxConfig config;
    private final MeterRegistry registry;
    private final EventCodec codec = new EventCodec();
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public Inbox(ProcessedEvents processed, InboxConfig config, MeterRegistry registry) {
        this.processed = processed;
        this.config = config;
        this.registry = registry;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Publishes the metrics of every consumer group this service reads through an Inbox (its channels with the
     * dead-letter-queue strategy) from the start, so a stalled consumer shows 0, not nothing.
     */
    void onStart(@Observes StartupEvent event, Config config) {
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.incoming.") && name.endsWith(".failure-strategy")
                    && "dead-letter-queue".equals(config.getOptionalValue(name, String.class).orElse(null))) {
                String channel = name.substring(0, name.length() - ".failure-strategy".length());
                config.getOptionalValue(channel + ".group.id", String.class).ifPresent(this::track);
            }
        }
    }

    /**
     * Applies the batch for {@code consumer} (the consumer group: also the key of its processed-event log) and
     * returns the acknowledgement of the whole batch. While the service shuts down, an unfinished batch is left
     * unacknowledged (never dead-lettered): the next start reads it again.
     */
    public CompletionStage<Void> process(String consumer, KafkaRecordBatch<String, String> batch, InboxHandler handler) {
        Counts counter = counts(consumer);
        List<Decoded> decoded = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            try {
                decoded.add(new Decoded(record, codec.decode(record.getPayload())));
            } catch (EventCodec.MalformedEventException e) {
                if (!deadLetter(consumer, record, e, counter)) {
                    return new CompletableFuture<>();
                }
            }
        }
        if (!applyWithRetries(consumer, decoded, handler, counter)) {
            return new CompletableFuture<>();
        }
        return batch.ack();
    }

    /** Publishes the consumer's metrics now (idempotent); {@link #process} does it too. */
    public void track(String consumer) {
        counts(consumer);
    }

    /** Events this service's {@code consumer} applied since start (duplicates not counted). */
    public long appliedCount(String consumer) {
        return counts(consumer).applied.get();
    }

    /** Records this service's {@code consumer} sent to its dead-letter topics since start. */
    public long deadLetteredCount(String consumer) {
        return counts(consumer).deadLettered.get();
    }

    /** False only when the service is stopping and the batch was left for the next start. */
    private boolean applyWithRetries(String consumer, List<Decoded> batch, InboxHandler handler, Counts counter) {
        if (batch.isEmpty()) {
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                afterCommit(consumer, applyInTransaction(consumer, batch, handler), handler, counter);
                return true;
            } catch (RuntimeException e) {
                if (stopping) {
                    return false;
                }
                boolean passing = TransientFailures.isTransient(e);
                LOG.warnf("Consumer %s: batch of %d failed (attempt %d%s): %s", consumer, batch.size(), attempt,
                        passing ? ", database unavailable: retrying until it is back" : "", e);
                if (!passing && attempt >= config.maxAttempts()) {
                    break;
                }
                if (!pause(attempt)) {
                    return false;
                }
            }
        }
        // the batch keeps failing: isolate the poison event(s) one by one
        for (Decoded one : batch) {
            for (int attempt = 1; ; attempt++) {
                try {
                    afterCommit(consumer, applyInTransaction(consumer, List.of(one), handler), handler, counter);
                    break;
                } catch (RuntimeException e) {
                    if (stopping) {
                        return false;
                    }
                    if (!TransientFailures.isTransient(e) && attempt >= config.maxAttempts()) {
                        if (!deadLetter(consumer, one.record(), e, counter)) {
                            return false;
                        }
                        break;
                    }
                    if (!pause(attempt)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private List<EventEnvelope<LoupeEvent>> applyInTransaction(String consumer, List<Decoded> batch, InboxHandler handler) {
        return QuarkusTransaction.requiringNew().call(() -> {
            // one statement records the whole batch; an event delivered twice in it is applied once
            Set<UUID> unseen = processed.markAllProcessed(consumer,
                    batch.stream().map(d -> d.envelope().id()).toList());
            List<EventEnvelope<LoupeEvent>> fresh = new ArrayList<>();
            for (Decoded d : batch) {
                if (unseen.remove(d.envelope().id())) {
                    fresh.add(d.envelope());
                }
            }
            if (!fresh.isEmpty()) {
                handler.apply(fresh);
            }
            return fresh;
        });
    }

    private void afterCommit(String consumer, List<EventEnvelope<LoupeEvent>> fresh, InboxHandler handler, Counts counter) {
        counter.applied.addAndGet(fresh.size());
        if (!fresh.isEmpty()) {
            try {
                handler.afterCommit(fresh);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Consumer %s: after-commit work failed", consumer);
            }
        }
    }

    /**
     * Nacks one record with its error: the channel's dead-letter-queue strategy writes it to the dead-letter topic
     * of its topic and this consumer, then acknowledges it. Waits for that, retrying while the broker refuses, so
     * the batch is acknowledged only once the poison event is safe. False when the service stops first.
     */
    private boolean deadLetter(String consumer, KafkaRecord<String, String> record, Exception reason, Counts counter) {
        String topic = Topics.deadLetter(record.getTopic(), consumer);
        RecordHeaders headers = new RecordHeaders();
        headers.add("loupe-error", String.valueOf(reason.getMessage() == null ? reason : reason.getMessage())
                .getBytes(StandardCharsets.UTF_8));
        headers.add("loupe-origin", origin(record).getBytes(StandardCharsets.UTF_8));
        Metadata where = Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).withHeaders(headers).build());
        for (int attempt = 1; !stopping; attempt++) {
            try {
                record.nack(reason, where).toCompletableFuture().get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                counter.deadLettered.incrementAndGet();
                LOG.warnf("Consumer %s: %s sent to %s: %s", consumer, origin(record), topic, reason.getMessage());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                LOG.warnf("Consumer %s: dead-lettering %s failed (attempt %d), retrying: %s", consumer, origin(record),
                        attempt, e);
                if (!pause(attempt)) {
                    return false;
                }
            }
        }
        return false;
    }

    /** topic/partition@offset, as the dead-letter header and the logs name a record. */
    private static String origin(KafkaRecord<?, ?> record) {
        String offset = record instanceof IncomingKafkaRecord<?, ?> incoming ? String.valueOf(incoming.getOffset()) : "?";
        return record.getTopic() + "/" + record.getPartition() + "@" + offset;
    }

    private boolean pause(int attempt) {
        long millis = Math.min(config.retryBackoff().toMillis() * attempt, config.maxBackoff().toMillis());
        try {
            Thread.sleep(millis);
            return !stopping;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Counts counts(String consumer) {
        return counts.computeIfAbsent(consumer, group -> {
            Counts c = new Counts();
            Gauge.builder("loupe.consumer.applied", c.applied, AtomicLong::get)
                    .tag("group", group).description("Events applied (duplicates not counted)").register(registry);
            Gauge.builder("loupe.consumer.dead.lettered", c.deadLettered, AtomicLong::get)
                    .tag("group", group).description("Records sent to the dead-letter topic").register(registry);
            return c;
        });
    }

    private static final class Counts {
        final AtomicLong applied = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
    }

    private record Decoded(KafkaRecord<String, String> record, EventEnvelope<LoupeEvent> envelope) {
    }
}
