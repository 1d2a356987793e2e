package dev.loupe.testing;

import io.restassured.http.ContentType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** What several modules' tests do against a running stack: import a zip into a new project, put raw records on a topic. */
public final class LoupeClient {

    private LoupeClient() {
    }

    /**
     * Creates a project in the label service and starts importing an ImageFolder zip into it (202); returns the
     * project id. The import runs on; callers wait for what they need.
     */
    public static String importZip(String labelUrl, String namePrefix, List<String> classes, byte[] zip) {
        String project = given().baseUri(labelUrl).contentType(ContentType.JSON)
                .body(Map.of("name", namePrefix + "-" + UUID.randomUUID(), "classes", classes))
                .post("/api/projects").then().statusCode(201).extract().path("id");
        given().baseUri(labelUrl).multiPart("file", "images.zip", zip, "application/zip")
                .post("/api/projects/{id}/imports", project).then().statusCode(202);
        return project;
    }

    /** Sends one raw record (e.g. a redelivered event, or garbage) and waits for the broker's acknowledgement. */
    public static void send(String bootstrap, String topic, String key, String value) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }
}
