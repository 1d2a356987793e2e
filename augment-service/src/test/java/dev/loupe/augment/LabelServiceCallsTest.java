package dev.loupe.augment;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Calls to the real label service through the typed client: an answer, even 404, is never a fault. */
@QuarkusTest
class LabelServiceCallsTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Test
    void manyUnknownProjectsStay404AndDoNotOpenTheCircuitBreaker() {
        // LabelApi's breaker opens when half of 20 calls fail; 404s are answers, not failures
        for (int i = 0; i < 30; i++) {
            UUID unknown = UUID.randomUUID();
            given().get("/api/projects/{id}/augment-policy", unknown).then().statusCode(404)
                    .contentType("application/problem+json").body("detail", containsString(unknown.toString()));
        }
        String project = given().baseUri(labelUrl).contentType(ContentType.JSON)
                .body(Map.of("name", "circuit", "classes", List.of("i", "ii")))
                .post("/api/projects").then().statusCode(201).extract().path("id");
        given().get("/api/projects/{id}/augment-policy", project).then().statusCode(200)
                .header("Loupe-Policy-Source", equalTo("shipped"));
    }
}
