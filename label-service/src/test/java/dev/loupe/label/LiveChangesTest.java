package dev.loupe.label;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web page's live feed: a project's item events as server-sent events, resumable with Last-Event-ID. */
@QuarkusTest
class LiveChangesTest {

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    /** One parsed server-sent event. */
    record Sse(String id, String event, String data) {
    }

    @Test
    void aRelabelIsStreamedToTheProjectsListenersAndAReconnectGetsWhatItMissed() throws Exception {
        String project = LabelApi.createProject();
        String other = LabelApi.createProject();
        JsonPath item = LabelApi.addItem(project, "iv");
        String itemId = item.getString("id");

        BlockingQueue<Sse> events = listen(project, null);
        BlockingQueue<Sse> otherEvents = listen(other, null);
        Thread.sleep(500); // subscribed

        LabelApi.relabel(itemId, "vi", item.getLong("version"), "ana").then().statusCode(200);
        // (an event committed just before subscribing may come first: the feed polls its log every 250 ms)
        Sse changed = next(events, "dev.loupe.item.label-changed");
        assertNotNull(changed, "the relabel arrived within 5 s");
        assertEquals("dev.loupe.item.label-changed", changed.event());
        JsonPath envelope = JsonPath.from(changed.data());
        assertEquals(itemId, envelope.getString("data.itemId"));
        assertEquals("vi", envelope.getString("data.label"));
        assertEquals(dev.loupe.testing.TestAuth.ADMIN, envelope.getString("data.by"));
        assertEquals(envelope.getLong("loupesequence"), Long.parseLong(changed.id()));
        assertNull(otherEvents.poll(1, TimeUnit.SECONDS), "another project's listener hears nothing");

        // two more changes; a browser that reconnects after the first gets exactly the second
        LabelApi.relabel(itemId, "iv", 2, "ben").then().statusCode(200);
        Sse second = events.poll(5, TimeUnit.SECONDS);
        given().delete("/api/items/{id}", itemId).then().statusCode(200);
        Sse third = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(second);
        assertNotNull(third);
        assertEquals("dev.loupe.item.excluded", third.event());
        BlockingQueue<Sse> resumed = listen(project, second.id());
        Sse replayed = resumed.poll(5, TimeUnit.SECONDS);
        assertNotNull(replayed);
        assertEquals(third.id(), replayed.id());
        assertNull(resumed.poll(1, TimeUnit.SECONDS), "nothing else");

        given().get("/api/projects/{id}/changes", java.util.UUID.randomUUID()).then().statusCode(404);
        given().header("Last-Event-ID", "yesterday").get("/api/projects/{id}/changes", project).then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void thePageIsServedWithItsSettings() {
        given().get("/").then().statusCode(200).contentType(org.hamcrest.Matchers.containsString("text/html"))
                .body(org.hamcrest.Matchers.containsString("ui/app.js"));
        for (String asset : List.of("app.js", "api.js", "grid.js", "review.js", "map.js", "augment.js", "dataset.js", "plots.js", "home.js", "data.js", "style.css")) {
            given().get("/ui/" + asset).then().statusCode(200);
        }
        given().get("/api/ui-config").then().statusCode(200);
    }

    private static Sse next(BlockingQueue<Sse> queue, String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Sse e = queue.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.event().equals(type)) return e;
        }
        return null;
    }

    private BlockingQueue<Sse> listen(String project, String lastEventId) {
        BlockingQueue<Sse> queue = new LinkedBlockingQueue<>();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "api/projects/" + project + "/changes"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + dev.loupe.testing.TestAuth.adminToken("http://localhost:" + io.restassured.RestAssured.port));
        if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            assertTrue(response.statusCode() == 200, "status " + response.statusCode());
            parse(response.body(), queue);
        });
        return queue;
    }

    private static void parse(Stream<String> lines, BlockingQueue<Sse> queue) {
        String[] current = new String[3];
        lines.forEach(line -> {
            if (line.isEmpty()) {
                if (current[2] != null) queue.add(new Sse(current[0], current[1], current[2]));
                current[0] = current[1] = current[2] = null;
            } else if (line.startsWith("id:")) {
                current[0] = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
                current[1] = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                current[2] = (current[2] == null ? "" : current[2] + "\n") + line.substring(5).strip();
            }
        });
    }
}
