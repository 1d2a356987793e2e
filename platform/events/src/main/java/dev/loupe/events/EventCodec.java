package dev.loupe.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.util.UUID;

/**
 * The wire form of every Loupe event: a <a href="https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md">CloudEvents
 * 1.0 structured-mode JSON</a> document, the same in every service, on Kafka (with the
 * {@value #CONTENT_TYPE} {@code content-type} header) and in the label service's live feed.
 *
 * <p>Context attributes: {@code specversion} "1.0", {@code id}, {@code source} (the producing service),
 * {@code type} (the wire name, e.g. {@code dev.loupe.item.label-changed}), {@code subject} (the aggregate id, also
 * the Kafka key), {@code time}, {@code datacontenttype} "application/json", and two extension attributes:
 * {@code dataversion} (schema version of {@code data}) and {@code loupesequence} (the producer's outbox position).
 *
 * <p>Unknown fields are ignored so a consumer keeps working when a producer adds fields (a compatible schema
 * change); an unknown type is an error the caller dead-letters. Envelopes written before CloudEvents (no
 * {@code specversion}, {@code dataVersion}/{@code sequence} in camel case) still decode, so an upgrade does not
 * strand events that are already in a topic or an outbox.
 */
public final class EventCodec {

    /** The Kafka {@code content-type} header value of a structured-mode CloudEvent. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
    public static final String SPEC_VERSION = "1.0";
    /** Extension attribute: schema version of {@code data}. */
    public static final String DATA_VERSION = "dataversion";
    /** Extension attribute: the producer's outbox position, increasing with every event a service writes. */
    public static final String SEQUENCE = "loupesequence";

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String encode(EventEnvelope<?> envelope) {
        ObjectNode node = mapper.createObjectNode();
        node.put("specversion", SPEC_VERSION);
        node.put("id", envelope.id().toString());
        node.put("source", envelope.source());
        node.put("type", envelope.type());
        if (envelope.subject() != null) {
            node.put("subject", envelope.subject());
        }
        if (envelope.time() != null) {
            node.put("time", envelope.time().toString());
        }
        node.put("datacontenttype", "application/json");
        node.put(DATA_VERSION, envelope.dataVersion());
        node.put(SEQUENCE, envelope.sequence());
        node.set("data", mapper.valueToTree(envelope.data()));
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event " + envelope.id(), e);
        }
    }

    /** Decodes an envelope; throws {@link MalformedEventException} for anything that is not a known event. */
    public EventEnvelope<LoupeEvent> decode(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || !node.isObject()) {
                throw new MalformedEventException("event is not a JSON object");
            }
            JsonNode specVersion = node.get("specversion");
            boolean cloudEvent = specVersion != null;
            if (cloudEvent && !SPEC_VERSION.equals(specVersion.asText())) {
                throw new MalformedEventException("unsupported CloudEvents specversion '" + specVersion.asText() + "'");
            }
            String typeName = text(node, "type");
            EventType type = EventType.fromWireName(typeName)
                    .orElseThrow(() -> new MalformedEventException("unknown event type '" + typeName + "'"));
            JsonNode data = node.get("data");
            if (data == null || !data.isObject()) {
                throw new MalformedEventException("event " + typeName + " has no data object");
            }
            LoupeEvent payload = mapper.treeToValue(data, type.payloadType());
            return new EventEnvelope<>(
                    UUID.fromString(text(node, "id")),
                    typeName,
                    node.path("source").asText(null),
                    Instant.parse(text(node, "time")),
                    node.path("subject").asText(null),
                    node.path(cloudEvent ? DATA_VERSION : "dataVersion").asInt(1),
                    node.path(cloudEvent ? SEQUENCE : "sequence").asLong(0),
                    payload);
        } catch (JsonProcessingException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new MalformedEventException("malformed event: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new MalformedEventException("event has no '" + field + "'");
        }
        return value.asText();
    }

    /** Raised for bytes that are not a well-formed, known event. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }

        public MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
