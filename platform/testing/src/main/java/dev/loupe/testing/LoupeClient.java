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

    /** Creates a project with {@code classes} in the label service; returns its id. */
    public static String createProject(String labelUrl, String namePrefix, List<String> classes) {
        return given().baseUri(labelUrl).contentType(ContentType.JSON)
                .body(Map.of("name", namePrefix + "-" + UUID.randomUUID(), "classes", classes))
                .post("/api/projects").then().statusCode(201).extract().path("id");
    }

    /** Adds one small drawn image labelled {@code label} to a project of the label service; returns the item's id. */
    public static String addImage(String labelUrl, String project, String label) {
        return given().baseUri(labelUrl).multiPart("image", label + "-" + UUID.randomUUID() + ".png", png(), "image/png")
                .multiPart("label", label)
                .post("/api/projects/{id}/items", project).then().statusCode(201).extract().path("id");
    }

    private static byte[] png() {
        var image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(java.awt.Color.BLACK);
        g.fillRect(28, 8, 8, 48);
        g.dispose();
        var out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
