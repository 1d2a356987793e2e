package dev.loupe.dataset;

import com.sun.net.httpserver.HttpServer;
import dev.loupe.events.EventType;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.AuthorizationMatrix;
import dev.loupe.testing.AuthorizationMatrix.Need;
import dev.loupe.testing.LoupeClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Every operation of the dataset service, as anonymous, a revoked token, a non-member and each role (generated from /q/openapi). */
@QuarkusTest
class AuthorizationMatrixTest {

    private static final String SECRET = "matrix-webhook-secret-0123456789";

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Test
    void everyOperationAnswersEachCallerAsItsRuleSays() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(new RomanNumeralGenerator(new SyntheticSpec(List.of("i", "ii"), 10, 0.2, 0, 0, 43)).generate(), zip);
        String project = LoupeClient.importZip(labelUrl, "dataset-matrix", List.of("i", "ii"), zip.toByteArray());
        await("the split of the project's 20 items", () -> {
            var split = given().get("/api/projects/{id}/split/items", project);
            return split.statusCode() == 200 && split.jsonPath().getInt("total") == 20;
        });
        // a real receiver, so the webhook has a finished delivery to read and send again
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        receiver.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
        try {
            Map<String, Object> webhookBody = Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/matrix",
                    "events", List.of(EventType.DATASET_VERSION_PUBLISHED.wireName()), "secret", SECRET, "projectId", project);
            String webhook = given().contentType(ContentType.JSON).body(webhookBody).post("/api/webhooks").then()
                    .statusCode(201).extract().path("id");
            String version = given().contentType(ContentType.JSON).body(Map.of("name", "matrix-v1"))
                    .post("/api/projects/{id}/versions", project).then().statusCode(201).extract().path("versionId");
            await("the webhook's delivery of the published version", () -> given()
                    .get("/api/webhooks/{id}/deliveries?status=DELIVERED", webhook).then().statusCode(200).extract()
                    .jsonPath().getList("id").size() == 1);
            String delivery = given().get("/api/webhooks/{id}/deliveries", webhook).then().statusCode(200).extract()
                    .path("[0].id");
            String plan = given().contentType(ContentType.JSON).body(Map.of("budget", 100))
                    .post("/api/projects/{id}/curation-plans", project).then().statusCode(201).extract().path("planId");
            // a real run (one round of 1 epoch, no new images); cancelled below if it is still active
            Map<String, Object> runBody = Map.of("budget", 20, "rounds", 1, "epochs", 1, "minConfidence", 1.0);
            String run = given().contentType(ContentType.JSON).body(runBody).post("/api/projects/{id}/curation-runs", project)
                    .then().statusCode(202).extract().path("runId");
            var configured = given().get("/api/projects/{id}/split/config", project).then().statusCode(200).extract();
            Map<String, Object> config = configured.jsonPath().getMap("$");
            String etag = configured.header("ETag");

            AuthorizationMatrix.of("http://localhost:" + RestAssured.port, labelUrl)
                    .rule("GET /api/projects/{id}/split", Need.VIEWER)
                    .rule("GET /api/projects/{id}/split/items", Need.VIEWER)
                    .rule("GET /api/projects/{id}/split/config", Need.VIEWER)
                    .rule("PUT /api/projects/{id}/split/config", Need.CURATOR)
                    .rule("GET /api/projects/{id}/versions", Need.VIEWER)
                    .rule("POST /api/projects/{id}/versions", Need.CURATOR)
                    .rule("GET /api/versions/{versionId}", Need.VIEWER)
                    .rule("GET /api/versions/{versionId}/items", Need.VIEWER)
                    .rule("GET /api/versions/{versionId}/diff", Need.VIEWER)
                    .rule("GET /api/versions/{versionId}/export", Need.VIEWER)
                    .rule("GET /api/versions/{versionId}/evaluations", Need.VIEWER)
                    .rule("POST /api/versions/{versionId}/evaluations", Need.CURATOR)
                    .rule("GET /api/versions/{versionId}/compare", Need.VIEWER)
                    .rule("GET /api/projects/{id}/curation-plans", Need.VIEWER)
                    .rule("POST /api/projects/{id}/curation-plans", Need.CURATOR)
                    .rule("GET /api/curation-plans/{planId}", Need.VIEWER)
                    .rule("POST /api/curation-plans/{planId}/apply", Need.CURATOR)
                    .rule("GET /api/projects/{id}/curation-runs", Need.VIEWER)
                    .rule("POST /api/projects/{id}/curation-runs", Need.CURATOR)
                    .rule("GET /api/curation-runs/{runId}", Need.VIEWER)
                    .rule("POST /api/curation-runs/{runId}/cancel", Need.CURATOR)
                    // the list shows each caller the webhooks of the projects they administer: nothing to refuse
                    .rule("GET /api/webhooks", Need.SIGNED_IN)
                    .rule("POST /api/webhooks", Need.ADMIN)
                    .rule("GET /api/webhooks/{id}", Need.ADMIN)
                    .rule("DELETE /api/webhooks/{id}", Need.ADMIN)
                    .rule("GET /api/webhooks/{id}/deliveries", Need.ADMIN)
                    .rule("GET /api/webhooks/{id}/deliveries/{deliveryId}", Need.ADMIN)
                    .rule("POST /api/webhooks/{id}/deliveries/{deliveryId}/redeliver", Need.ADMIN)
                    .pathFor("/api/projects/{id}", "id", project)
                    .pathFor("/api/webhooks/{id}", "id", webhook)
                    .path("versionId", version)
                    .path("deliveryId", delivery)
                    .path("planId", plan)
                    .path("runId", run)
                    // the same configuration again: the curator's change is a real 200, not a 428 for the missing If-Match
                    .header("PUT /api/projects/{id}/split/config", "If-Match", "*")
                    .body("PUT /api/projects/{id}/split/config", config)
                    .body("POST /api/projects/{id}/versions", Map.of("name", "matrix-v2"))
                    .body("POST /api/versions/{versionId}/evaluations", Map.of("epochs", 1))
                    .body("POST /api/projects/{id}/curation-plans", Map.of("budget", 100))
                    .body("POST /api/curation-plans/{planId}/apply", Map.of("epochs", 1, "actions", List.of()))
                    .body("POST /api/projects/{id}/curation-runs", runBody)
                    .query("GET /api/versions/{versionId}/diff", "against", version)
                    .query("GET /api/versions/{versionId}/compare", "against", version)
                    .query("GET /api/versions/{versionId}/export", "format", "csv")
                    .body("POST /api/webhooks", webhookBody)
                    .verify(project);
            // the allowed calls were real changes: the curator's configuration (with its If-Match) and version
            assertNotEquals(etag, given().get("/api/projects/{id}/split/config", project).then().statusCode(200)
                    .extract().header("ETag"), "the curator's PUT with If-Match changed the configuration's version");
            given().get("/api/projects/{id}/versions", project).then().statusCode(200).body("name", hasItem("matrix-v2"));
            // the curator's plan and apply were real too
            given().get("/api/projects/{id}/curation-plans", project).then().statusCode(200).body("number", hasItem(2));
            given().get("/api/curation-plans/{id}", plan).then().statusCode(200).body("appliedBy", startsWith("matrix-curator-"));
            // a run still active (the curator's own start, or the first if it outlived the curator's cancel) ends here
            for (String active : given().get("/api/projects/{id}/curation-runs", project).then().statusCode(200).extract()
                    .jsonPath().getList("findAll { it.status == 'QUEUED' || it.status == 'RUNNING' }.runId", String.class)) {
                given().post("/api/curation-runs/{id}/cancel", active).then().statusCode(org.hamcrest.Matchers.oneOf(200, 409));
            }
            await("no active curation run", () -> given().get("/api/projects/{id}/curation-runs", project).then().statusCode(200)
                    .extract().jsonPath().getList("findAll { it.status == 'QUEUED' || it.status == 'RUNNING' }").isEmpty());
        } finally {
            receiver.stop(0);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + " never happened");
            }
            Thread.sleep(200);
        }
    }
}
