package dev.loupe.label;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void healthIsUpWithDatabaseKafkaAndRelay() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("outbox-relay"));
    }

    @Test
    void openApiDocumentsTheLabelEndpoints() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/items/{id}/label"))
                .body(containsString("/api/projects/{projectId}/imports"))
                .body(containsString("/api/projects/{projectId}/relabels"));
    }

    @Test
    void unknownPathsAndMethodsAnswerProblems() {
        given().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
        given().patch("/api/projects").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests")).body(containsString("loupe_outbox_backlog"));
    }
}
