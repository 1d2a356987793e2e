package dev.loupe.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Our wire form is CloudEvents 1.0: the CloudEvents Java SDK reads what we write, and we read what it writes. */
class CloudEventsSdkTest {

    private final EventCodec codec = new EventCodec();
    private final EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    @Test
    void theSdkReadsALabelChangeWithEveryAttribute() {
        UUID item = UUID.randomUUID();
        Instant at = Instant.parse("2026-12-05T08:00:00.250Z");
        var change = new ItemLabelChanged(UUID.randomUUID(), item, 4, "ab".repeat(32), "iv", "vi", "mirrored", "ana", at);
        var envelope = EventEnvelope.wrap(UUID.randomUUID(), "label-service", at, 1234, change);

        CloudEvent event = json.deserialize(codec.encode(envelope).getBytes(StandardCharsets.UTF_8));

        assertEquals(SpecVersion.V1, event.getSpecVersion());
        assertEquals(envelope.id().toString(), event.getId());
        assertEquals("dev.loupe.item.label-changed", event.getType());
        assertEquals(URI.create("label-service"), event.getSource());
        assertEquals(item.toString(), event.getSubject());
        assertEquals(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), event.getTime());
        assertEquals("application/json", event.getDataContentType());
        assertEquals(1, ((Number) event.getExtension(EventCodec.DATA_VERSION)).intValue());
        assertEquals(1234L, ((Number) event.getExtension(EventCodec.SEQUENCE)).longValue());
        assertNotNull(event.getData());
        String data = new String(event.getData().toBytes(), StandardCharsets.UTF_8);
        assertEquals("vi", com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .convertValue(readTree(data).get("label"), String.class));
    }

    @Test
    void weReadAnEventTheSdkWrote() {
        UUID project = UUID.randomUUID();
        UUID item = UUID.randomUUID();
        String data = """
                {"projectId":"%s","itemId":"%s","version":3,"sha256":"aa","label":"i","reason":"back","by":"ben",
                 "at":"2026-12-05T08:00:00Z"}""".formatted(project, item);
        CloudEvent written = CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(URI.create("label-service"))
                .withType("dev.loupe.item.restored")
                .withSubject(item.toString())
                .withTime(OffsetDateTime.parse("2026-12-05T08:00:00Z"))
                .withDataContentType("application/json")
                .withExtension(EventCodec.DATA_VERSION, 1)
                .withExtension(EventCodec.SEQUENCE, 42L)
                .withData(data.getBytes(StandardCharsets.UTF_8))
                .build();

        EventEnvelope<LoupeEvent> back = codec.decode(new String(json.serialize(written), StandardCharsets.UTF_8));

        ItemRestored restored = assertInstanceOf(ItemRestored.class, back.data());
        assertEquals(item, restored.itemId());
        assertEquals("ben", restored.by());
        assertEquals(42L, back.sequence());
        assertEquals(written.getId(), back.id().toString());
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
