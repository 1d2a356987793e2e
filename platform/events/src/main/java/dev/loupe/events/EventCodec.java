package dev.loupe.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.util.UUID;

/**
 * JSON encoding of envelopes, the same in every service. Unknown fields are ignored so a consumer keeps working
 * when a producer adds fields (a compatible schema change); an unknown type is an error the caller dead-letters.
 */
public final class EventCodec {

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String encode(EventEnvelope<?> envelope) {
        try {
            return mapper.writeValueAsString(envelope);
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
                    node.path("dataVersion").asInt(1),
                    node.path("sequence").asLong(0),
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
