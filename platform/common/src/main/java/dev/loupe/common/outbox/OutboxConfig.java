package dev.loupe.common.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the transactional outbox and its relay to Kafka. */
@ConfigMapping(prefix = "loupe.outbox")
public interface OutboxConfig {

    /** Name of this service in the events it writes (the envelope's {@code source}). */
    @WithDefault("${quarkus.application.name}")
    String source();

    /** Whether this instance runs the relay (several instances are safe: one relays at a time). */
    @WithDefault("true")
    boolean relayEnabled();

    /** How long the relay sleeps when there is nothing to send; commits wake it at once. */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** How many events the relay sends per round. */
    @WithDefault("500")
    int batchSize();

    /** How long to wait after a failed round (broker down) before the next; doubled per further failure. */
    @WithDefault("PT1S")
    Duration retryBackoff();

    /** The longest wait after failed rounds in a row. */
    @WithDefault("PT15S")
    Duration retryBackoffMax();

    /** How long published events stay in the outbox table (for inspection and replay) before they are deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** Partitions of the Loupe topics when this service creates them. */
    @WithDefault("6")
    int topicPartitions();

    /** Replication factor of the Loupe topics when this service creates them. */
    @WithDefault("1")
    short topicReplicationFactor();
}
