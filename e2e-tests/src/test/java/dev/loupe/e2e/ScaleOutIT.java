package dev.loupe.e2e;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import dev.loupe.testing.LoupeStackTestResource;
import dev.loupe.testing.ServiceProcess;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas of the embedding service, as Kubernetes scales it by consumer lag: they share the item events (one
 * consumer group) and the embedding work (claimed batches: both embed, no image is run through the model twice), and either
 * replica answers the same map, neighbours and findings, also right after a label change the other one applied.
 */
class ScaleOutIT {

    private static final LoupeStackTestResource STACK = new LoupeStackTestResource();
    private static final Pattern EMBEDDED = Pattern.compile("(?m)^loupe_embedding_images_embedded_total(?:\\{[^}]*})? ([0-9.eE+]+)$");
    private static Map<String, String> urls;
    private static ServiceProcess second;

    @BeforeAll
    static void start() throws Exception {
        STACK.init(Map.of("services", "label-service,embedding-service"));
        urls = STACK.start();
        // every request of this test carries the first administrator's API token
        dev.loupe.testing.TestAuth.useAdminByDefault(urls.get("loupe.label-service-url"));
        second = STACK.startReplica("embedding-service");
    }

    @AfterAll
    static void stop() {
        STACK.stop();
    }

    @Test
    void twoReplicasShareTheWorkAndAnswerAlike() throws Exception {
        String label = urls.get("loupe.label-service-url");
        String a = urls.get("loupe.embedding-service-url");
        String b = second.url();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, 40, 0.2, 0.1, 0, 23)).generate(), zip);
        String project = LoupeClient.importZip(label, "scale", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
        await(() -> given().baseUri(a).get("/api/projects/{id}/embeddings/status", project).jsonPath(),
                s -> s.getInt("items") == 400 && s.getInt("embedded") == 400);

        // both replicas embedded, and no image went through the model twice: their counts add up to the distinct images
        double first = embedded(a), other = embedded(b);
        System.out.printf("ScaleOutIT: images embedded by replica 1: %.0f, by replica 2: %.0f%n", first, other);
        assertTrue(first > 0, "replica 1 embedded nothing: " + first + " + " + other);
        assertTrue(other > 0, "replica 2 embedded nothing: " + first + " + " + other);
        assertEquals(400, first + other, "embedded by the replicas: " + first + " + " + other);

        // both answer with every point and the same neighbours and findings
        for (String replica : List.of(a, b)) {
            await(() -> given().baseUri(replica).get("/api/projects/{id}/map", project).jsonPath(), m -> m.getList("itemIds").size() == 400);
        }
        String item = given().baseUri(label).queryParam("label", "iv").queryParam("size", 1).get("/api/projects/{id}/items", project)
                .jsonPath().getString("items[0].id");
        assertEquals(neighbours(a, item), neighbours(b, item));
        assertEquals(labelIssues(a, project), labelIssues(b, project));

        // a label change is applied by one replica; the other one shows it too
        long version = given().baseUri(label).get("/api/items/{id}", item).jsonPath().getLong("version");
        given().baseUri(label).contentType("application/json").header("If-Match", "\"" + version + "\"")
                .body(Map.of("label", "vi", "reason", "scale-out test")).put("/api/items/{id}/label", item).then().statusCode(200);
        for (String replica : List.of(a, b)) {
            await(() -> given().baseUri(replica).get("/api/projects/{id}/map", project).jsonPath(),
                    m -> "vi".equals(m.getList("labels").get(m.getList("itemIds").indexOf(item))));
        }
        await(() -> new JsonPath("{\"same\": " + labelIssues(a, project).equals(labelIssues(b, project)) + "}"),
                j -> j.getBoolean("same"));
    }

    private static Set<String> labelIssues(String replica, String project) {
        return new HashSet<>(given().baseUri(replica).queryParam("type", "label-issue").get("/api/projects/{id}/findings", project)
                .then().statusCode(200).extract().jsonPath().getList("findings.itemIds[0]"));
    }

    private static List<String> neighbours(String replica, String item) {
        return given().baseUri(replica).queryParam("k", 8).get("/api/items/{id}/neighbors", item).then().statusCode(200)
                .extract().jsonPath().getList("itemId");
    }

    private static double embedded(String replica) {
        String metrics = given().baseUri(replica).get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = EMBEDDED.matcher(metrics);
        assertTrue(m.find(), "loupe_embedding_images_embedded_total in " + replica + "/q/metrics");
        return Double.parseDouble(m.group(1));
    }

    private static void await(Supplier<JsonPath> read, Predicate<JsonPath> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = read.get();
                if (done.test(last)) return;
            } catch (RuntimeException e) {
                // not ready yet
            }
            Thread.sleep(300);
        }
        throw new AssertionError("timed out; last: " + (last == null ? null : last.prettify()));
    }
}
