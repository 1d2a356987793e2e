package dev.loupe.label;

import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.ItemAdded;
import dev.loupe.events.ItemExcluded;
import dev.loupe.events.ItemLabelChanged;
import dev.loupe.events.ItemRestored;
import dev.loupe.events.LoupeEvent;
import dev.loupe.events.Topics;
import dev.loupe.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

@QuarkusTest
class ItemLabelFlowTest {

    private final EventCodec codec = new EventCodec();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void labelChangeIsVersionedRecordedInHistoryAndPublishedAsAnEvent() {
        String project = LabelApi.createProject();
        String itemId = LabelApi.addItem(project, "iv").getString("id");
        assertEquals(1, LabelApi.item(itemId).getInt("version"));

        LabelApi.relabel(itemId, "vi", 1, "ana")
                .then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("label", equalTo("vi"))
                .body("version", equalTo(2));

        given().get("/api/items/{id}/history", itemId).then().statusCode(200)
                .body("$", hasSize(2))
                .body("[0].action", equalTo("ADDED"))
                .body("[1].action", equalTo("RELABELED"))
                .body("[1].from", equalTo("iv"))
                .body("[1].to", equalTo("vi"))
                .body("[1].by", equalTo(dev.loupe.testing.TestAuth.ADMIN))
                .body("[1].version", equalTo(2))
                .body("[1].reason", equalTo("test"));

        List<EventEnvelope<LoupeEvent>> events = eventsOf(itemId, 2);
        ItemAdded added = assertInstanceOf(ItemAdded.class, events.get(0).data());
        assertEquals("iv", added.label());
        assertEquals(1, added.version());
        ItemLabelChanged changed = assertInstanceOf(ItemLabelChanged.class, events.get(1).data());
        assertEquals(UUID.fromString(project), changed.projectId());
        assertEquals("iv", changed.oldLabel());
        assertEquals("vi", changed.label());
        assertEquals(2, changed.version());
        assertEquals(dev.loupe.testing.TestAuth.ADMIN, changed.by(), "the signed-in user, not the Loupe-User header");
        assertEquals(LabelApi.item(itemId).getString("sha256"), changed.sha256());
        assertEquals("label-service", events.get(1).source());
        assertEquals(itemId, events.get(1).subject());
    }

    @Test
    void aLabelChangeOnKafkaIsACloudEventTheSdkReads() {
        String project = LabelApi.createProject();
        String itemId = LabelApi.addItem(project, "ii").getString("id");
        LabelApi.relabel(itemId, "iii", 1, "ana").then().statusCode(200);

        List<ConsumerRecord<String, String>> records = TopicReader.readUntil(bootstrap, Topics.ITEMS,
                all -> all.stream().filter(r -> itemId.equals(r.key())).count() >= 2, Duration.ofSeconds(30));
        ConsumerRecord<String, String> record = records.stream().filter(r -> itemId.equals(r.key())).toList().get(1);
        // read as any CloudEvents consumer would: the SDK's Kafka deserializer, from the record's headers and bytes
        try (var deserializer = new io.cloudevents.kafka.CloudEventDeserializer()) {
            io.cloudevents.CloudEvent event = deserializer.deserialize(record.topic(), record.headers(),
                    record.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(io.cloudevents.SpecVersion.V1, event.getSpecVersion());
            assertEquals("dev.loupe.item.label-changed", event.getType());
            assertEquals(java.net.URI.create("label-service"), event.getSource());
            assertEquals(itemId, event.getSubject());
            assertEquals("application/json", event.getDataContentType());
            String data = new String(event.getData().toBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals("iii", io.restassured.path.json.JsonPath.from(data).getString("label"));
            assertEquals(dev.loupe.testing.TestAuth.ADMIN, io.restassured.path.json.JsonPath.from(data).getString("by"));
        }
    }

    @Test
    void staleMissingAndMalformedVersionsAreRefusedAndChangeNothing() {
        String project = LabelApi.createProject();
        String itemId = LabelApi.addItem(project, "ii").getString("id");
        LabelApi.relabel(itemId, "iii", 1, null).then().statusCode(200);

        LabelApi.relabel(itemId, "v", 1, null).then().statusCode(412)
                .contentType("application/problem+json")
                .body("detail", containsString("is at version 2"));
        LabelApi.relabel(itemId, "v", null, null).then().statusCode(428)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("If-Match"));
        given().contentType(ContentType.JSON).header("If-Match", "soon").body(Map.of("label", "v"))
                .put("/api/items/{id}/label", itemId).then().statusCode(400).body("errors[0].field", equalTo("If-Match"));
        given().contentType(ContentType.JSON).header("If-Match", "\"2\"").body("{\"label\": ")
                .put("/api/items/{id}/label", itemId).then().statusCode(400).contentType("application/problem+json");
        LabelApi.relabel(itemId, "xi", 2, null).then().statusCode(422)
                .body("errors[0].field", equalTo("label"))
                .body("errors[0].message", containsString("not a class"));
        LabelApi.relabel(UUID.randomUUID().toString(), "v", 1, null).then().statusCode(404);

        var item = LabelApi.item(itemId);
        assertEquals("iii", item.getString("label"));
        assertEquals(2, item.getInt("version"));
        given().get("/api/items/{id}/history", itemId).then().body("$", hasSize(2));
        // exactly the two accepted changes went out, nothing for the refused ones
        assertEquals(2, eventsOf(itemId, 2).size());
    }

    @Test
    void concurrentEditsOfOneVersionHaveExactlyOneWinner() throws Exception {
        String project = LabelApi.createProject();
        String itemId = LabelApi.addItem(project, "vii").getString("id");
        List<String> labels = List.of("i", "ii", "iii", "iv", "v", "vi", "viii", "ix");
        ExecutorService pool = Executors.newFixedThreadPool(labels.size());
        try {
            List<Callable<Integer>> edits = new ArrayList<>();
            for (String label : labels) {
                edits.add(() -> LabelApi.relabel(itemId, label, 1, "user-" + label).statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(edits)) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(labels.size() - 1, statuses.stream().filter(s -> s == 412).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        var item = LabelApi.item(itemId);
        assertEquals(2, item.getInt("version"));
        given().get("/api/items/{id}/history", itemId).then()
                .body("$", hasSize(2))
                .body("[1].to", equalTo(item.getString("label")));
    }

    @Test
    void excludedItemsKeepHistoryRefuseRelabelAndComeBack() {
        String project = LabelApi.createProject();
        String itemId = LabelApi.addItem(project, "x").getString("id");

        given().queryParam("reason", "blank scan").header("If-Match", "\"1\"")
                .delete("/api/items/{id}", itemId)
                .then().statusCode(200).body("excluded", equalTo(true)).body("version", equalTo(2))
                .body("excludedReason", equalTo("blank scan"));
        LabelApi.relabel(itemId, "ix", 2, null).then().statusCode(409).contentType("application/problem+json");
        given().get("/api/projects/{id}/items", project).then().body("total", equalTo(0));
        given().queryParam("excluded", "true").get("/api/projects/{id}/items", project).then().body("total", equalTo(1));

        given().contentType(ContentType.JSON).body(Map.of("reason", "it is a ten"))
                .post("/api/items/{id}/restore", itemId)
                .then().statusCode(200).body("excluded", equalTo(false)).body("version", equalTo(3));
        LabelApi.relabel(itemId, "ix", 3, null).then().statusCode(200).body("version", equalTo(4));

        given().get("/api/items/{id}/history", itemId).then()
                .body("action", equalTo(List.of("ADDED", "EXCLUDED", "RESTORED", "RELABELED")))
                .body("[1].reason", equalTo("blank scan"));
        List<EventEnvelope<LoupeEvent>> events = eventsOf(itemId, 4);
        assertInstanceOf(ItemExcluded.class, events.get(1).data());
        ItemRestored restored = assertInstanceOf(ItemRestored.class, events.get(2).data());
        assertEquals(3, restored.version());
    }

    @Test
    void idsListsThoseItemsInTheOrderGivenWithTheOtherFiltersAndNeverAnotherProjectsItems() {
        String project = LabelApi.createProject();
        String a = LabelApi.addItem(project, "i").getString("id");
        String b = LabelApi.addItem(project, "ii").getString("id");
        String c = LabelApi.addItem(project, "i").getString("id");
        String excluded = LabelApi.addItem(project, "i").getString("id");
        given().queryParam("reason", "blank").header("If-Match", "\"1\"").delete("/api/items/{id}", excluded)
                .then().statusCode(200);
        String elsewhere = LabelApi.addItem(LabelApi.createProject(), "i").getString("id");
        String unknown = UUID.randomUUID().toString();

        // comma-separated and repeated together, in the order given; a repeated id counts once; other projects' items,
        // unknown ids and (by default) excluded items are left out
        given().queryParam("ids", c + "," + elsewhere + "," + a).queryParam("ids", unknown, b, c, excluded)
                .get("/api/projects/{id}/items", project).then().statusCode(200)
                .body("items.id", equalTo(List.of(c, a, b)))
                .body("total", equalTo(3));
        given().queryParam("ids", String.join(",", b, excluded, a)).queryParam("excluded", "any")
                .get("/api/projects/{id}/items", project).then().statusCode(200)
                .body("items.id", equalTo(List.of(b, excluded, a)));
        // the other filters and paging apply to the ids' items
        given().queryParam("ids", String.join(",", b, c, a)).queryParam("label", "i")
                .get("/api/projects/{id}/items", project).then().statusCode(200)
                .body("items.id", equalTo(List.of(c, a))).body("total", equalTo(2));
        given().queryParam("ids", String.join(",", b, c, a)).queryParam("size", 2).queryParam("page", 1)
                .get("/api/projects/{id}/items", project).then().statusCode(200)
                .body("items.id", equalTo(List.of(a))).body("total", equalTo(3)).body("page", equalTo(1));
        // only another project's item: nothing, not a leak
        given().queryParam("ids", elsewhere).get("/api/projects/{id}/items", project).then().statusCode(200)
                .body("items", hasSize(0)).body("total", equalTo(0));

        given().queryParam("ids", a + ",not-a-uuid").get("/api/projects/{id}/items", project)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("ids"))
                .body("errors[0].message", containsString("not-a-uuid"));
        given().queryParam("ids", " , ").get("/api/projects/{id}/items", project)
                .then().statusCode(422).body("errors[0].field", equalTo("ids"));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(UUID.randomUUID().toString());
        }
        given().queryParam("ids", String.join(",", tooMany)).get("/api/projects/{id}/items", project)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("ids"))
                .body("errors[0].message", containsString("at most 1000"));
        given().queryParam("ids", String.join(",", tooMany.subList(0, 1000))).get("/api/projects/{id}/items", project)
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void relabelToTheSameLabelIsANoOp() {
        String project = LabelApi.createProject();
        String itemId = LabelApi.addItem(project, "v").getString("id");
        LabelApi.relabel(itemId, "v", 1, null).then().statusCode(200).body("version", equalTo(1));
        given().get("/api/items/{id}/history", itemId).then().body("$", hasSize(1));
    }

    @Test
    void addingANonImageOrAnUnknownLabelCreatesNothing() {
        String project = LabelApi.createProject();
        given().multiPart("image", "notes.png", "hello, not an image".getBytes(), "image/png")
                .multiPart("label", "i")
                .post("/api/projects/{id}/items", project)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("image"))
                .body("errors[0].message", containsString("not an image"));
        given().multiPart("image", "a.png", LabelApi.png("i", 5), "image/png")
                .multiPart("label", "xi")
                .post("/api/projects/{id}/items", project)
                .then().statusCode(422).body("errors[0].field", equalTo("label"));
        given().multiPart("label", "i")
                .post("/api/projects/{id}/items", project)
                .then().statusCode(422).body("errors[0].field", equalTo("image"));
        assertEquals(0, LabelApi.itemCount(project));
    }

    @Test
    void idempotencyKeyMakesARetriedUploadCreateOneItem() {
        String project = LabelApi.createProject();
        String provenance = "{\"parents\":[{\"itemId\":\"" + UUID.randomUUID() + "\",\"version\":3}],"
                + "\"operations\":[{\"op\":\"mirror-lr\",\"params\":{}}],\"seed\":7,\"job\":\"j1\"}";
        byte[] png = LabelApi.png("iv", 9);
        String first = given().header("Idempotency-Key", "job-1/item-1/copy-0")
                .multiPart("image", "a.png", png, "image/png").multiPart("label", "vi")
                .multiPart("source", "augmented").multiPart("provenance", provenance)
                .post("/api/projects/{id}/items", project)
                .then().statusCode(201).body("source", equalTo("augmented"))
                .body("provenance.operations[0].op", equalTo("mirror-lr"))
                .body("provenance.seed", equalTo(7))
                .extract().path("id");
        String second = given().header("Idempotency-Key", "job-1/item-1/copy-0")
                .multiPart("image", "a.png", png, "image/png").multiPart("label", "vi")
                .multiPart("source", "augmented").multiPart("provenance", provenance)
                .post("/api/projects/{id}/items", project)
                .then().statusCode(200).extract().path("id");
        assertEquals(first, second);
        assertEquals(1, LabelApi.itemCount(project));
        given().multiPart("image", "a.png", png, "image/png").multiPart("label", "vi").multiPart("source", "augmented")
                .post("/api/projects/{id}/items", project)
                .then().statusCode(422).body("errors[0].field", equalTo("provenance"));
        assertNull(LabelApi.item(first).get("excludedReason"));
    }

    /** The events of one item in Kafka order, waiting until at least {@code count} arrived. */
    private List<EventEnvelope<LoupeEvent>> eventsOf(String itemId, int count) {
        List<ConsumerRecord<String, String>> records = TopicReader.readUntil(bootstrap, Topics.ITEMS,
                all -> all.stream().filter(r -> itemId.equals(r.key())).count() >= count, Duration.ofSeconds(30));
        List<EventEnvelope<LoupeEvent>> events = records.stream()
                .filter(r -> itemId.equals(r.key()))
                .map(r -> codec.decode(r.value()))
                .toList();
        assertEquals(count, events.size(), "events of item " + itemId);
        return events;
    }
}
