package dev.loupe.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void labelChangeRoundTripsWithEnvelopeFields() {
        UUID project = UUID.randomUUID();
        UUID item = UUID.randomUUID();
        Instant at = Instant.parse("2026-11-29T10:15:30.123Z");
        var change = new ItemLabelChanged(project, item, 4, "ab".repeat(32), "iv", "vi", "mirrored glyph", "ana", at);
        var envelope = EventEnvelope.wrap(UUID.randomUUID(), "label-service", at, 77, change);

        String json = codec.encode(envelope);
        EventEnvelope<LoupeEvent> back = codec.decode(json);

        assertEquals(envelope, back);
        assertEquals("dev.loupe.item.label-changed", back.type());
        assertEquals(item.toString(), back.subject());
        assertEquals(EventType.ITEM_LABEL_CHANGED, back.eventType());
        assertTrue(json.contains("\"time\":\"2026-11-29T10:15:30.123Z\""), json);
        assertTrue(json.startsWith("{\"specversion\":\"1.0\""), json);
    }

    @Test
    void anEnvelopeWrittenBeforeCloudEventsStillDecodes() {
        UUID item = UUID.randomUUID();
        String legacy = """
                {"id":"%s","type":"dev.loupe.item.restored","source":"label-service","time":"2026-01-01T00:00:00Z",
                 "subject":"%s","dataVersion":1,"sequence":5,
                 "data":{"projectId":"%s","itemId":"%s","version":3,"sha256":"aa","label":"i",
                         "reason":"r","by":"b","at":"2026-01-01T00:00:00Z"}}
                """.formatted(UUID.randomUUID(), item, UUID.randomUUID(), item);
        var back = codec.decode(legacy);
        assertEquals(5, back.sequence());
        assertEquals(1, back.dataVersion());
    }

    @Test
    void anotherSpecVersionIsRejected() {
        var error = assertThrows(EventCodec.MalformedEventException.class, () -> codec.decode(
                "{\"specversion\":\"0.3\",\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"dev.loupe.item.restored\","
                        + "\"time\":\"2026-01-01T00:00:00Z\",\"data\":{}}"));
        assertTrue(error.getMessage().contains("specversion '0.3'"), error.getMessage());
    }

    @Test
    void itemAddedKeepsProvenance() {
        var provenance = new Provenance(List.of(new Provenance.Parent(UUID.randomUUID(), 3)),
                List.of(new Provenance.Operation("rotate", Map.of("degrees", 90))), 7L, "job-1");
        var added = new ItemAdded(UUID.randomUUID(), UUID.randomUUID(), 1, "cd".repeat(32), "vii", "train",
                "train/vii/a.png", "augmented", provenance, "augment-service", Instant.now());
        var back = codec.decode(codec.encode(EventEnvelope.wrap(UUID.randomUUID(), "s", Instant.now(), 1, added)));
        ItemAdded data = assertInstanceOf(ItemAdded.class, back.data());
        assertEquals(provenance, data.provenance());
        assertEquals(90, data.provenance().operations().getFirst().params().get("degrees"));
    }

    @Test
    void splitAndVersionEventsRoundTripKeyedByProject() {
        UUID project = UUID.randomUUID();
        Instant at = Instant.parse("2026-11-29T10:15:30Z");
        Map<String, Map<String, Integer>> counts = Map.of("train", Map.of("i", 8, "ii", 7), "val", Map.of("i", 2, "ii", 2));
        var refreshed = new SplitRefreshed(project, 5, "style-balanced", counts, List.of(UUID.randomUUID()), 1, 3, 41, at);
        var published = new DatasetVersionPublished(project, UUID.randomUUID(), "round-2", "ef".repeat(32), 19, counts, 5,
                41, "/api/versions/x/export", "ana", at);
        for (LoupeEvent event : List.<LoupeEvent>of(refreshed, published)) {
            var envelope = EventEnvelope.wrap(UUID.randomUUID(), "dataset-service", at, 9, event);
            var back = codec.decode(codec.encode(envelope));
            assertEquals(envelope, back);
            assertEquals(project.toString(), back.subject());
        }
        assertEquals(Topics.SPLITS, EventType.of(refreshed).topic());
        assertEquals(Topics.DATASETS, EventType.of(published).topic());
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        UUID item = UUID.randomUUID();
        String json = """
                {"id":"%s","type":"dev.loupe.item.restored","source":"x","time":"2026-01-01T00:00:00Z",
                 "subject":"%s","specversion":"1.0","dataversion":1,"loupesequence":5,"future":true,
                 "data":{"projectId":"%s","itemId":"%s","version":3,"sha256":"aa","label":"i",
                         "reason":"r","by":"b","at":"2026-01-01T00:00:00Z","addedLater":[1,2]}}
                """.formatted(UUID.randomUUID(), item, UUID.randomUUID(), item);
        ItemRestored restored = assertInstanceOf(ItemRestored.class, codec.decode(json).data());
        assertEquals(3, restored.version());
    }

    @Test
    void unknownTypeAndGarbageAreRejectedClearly() {
        var unknown = assertThrows(EventCodec.MalformedEventException.class, () -> codec.decode(
                "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"nope\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{}}"));
        assertTrue(unknown.getMessage().contains("unknown event type 'nope'"), unknown.getMessage());
        assertThrows(EventCodec.MalformedEventException.class, () -> codec.decode("not json"));
        assertThrows(EventCodec.MalformedEventException.class, () -> codec.decode("[1,2]"));
    }

    @Test
    void everyEventTypeHasAUniqueWireNameAndATopic() {
        assertEquals(EventType.values().length,
                java.util.Arrays.stream(EventType.values()).map(EventType::wireName).distinct().count());
        for (EventType type : EventType.values()) {
            assertTrue(Topics.ALL.contains(type.topic()), type + " on an undeclared topic");
        }
    }
}
