package dev.loupe.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope every Loupe event travels in, written on the wire as a CloudEvents 1.0 structured-mode JSON document
 * by {@link EventCodec}.
 *
 * @param id          unique per event; consumers record it to apply each event once
 * @param type        wire name from {@link EventType}
 * @param source      the producing service, e.g. {@code label-service}
 * @param time        when the change happened (UTC)
 * @param subject     the aggregate id, also the Kafka key
 * @param dataVersion schema version of {@code data}
 * @param sequence    the producer's outbox position: increases with every event a service writes
 * @param data        the payload
 */
public record EventEnvelope<T extends LoupeEvent>(
        UUID id, String type, String source, Instant time, String subject, int dataVersion, long sequence, T data) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** Wraps a payload in a new envelope with the type, subject and schema version from the registry. */
    public static <T extends LoupeEvent> EventEnvelope<T> wrap(UUID id, String source, Instant time, long sequence, T data) {
        EventType type = EventType.of(data);
        return new EventEnvelope<>(id, type.wireName(), source, time, data.subject().toString(), type.dataVersion(),
                sequence, data);
    }

    public EventType eventType() {
        return EventType.fromWireName(type).orElseThrow();
    }
}
