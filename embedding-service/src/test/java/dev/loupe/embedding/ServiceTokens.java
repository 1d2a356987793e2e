package dev.loupe.embedding;

import dev.loupe.testing.TestAuth;

import static io.restassured.RestAssured.given;

/** A Loupe service's token, got the way the service gets it: the client credentials grant at the label service. */
final class ServiceTokens {

    private ServiceTokens() {
    }

    static String of(String labelUrl, String service) {
        return given().baseUri(labelUrl).header("Authorization", "").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_id", service)
                .formParam("client_secret", TestAuth.SERVICE_SECRET)
                .post("/api/auth/token").then().statusCode(200).extract().path("access_token");
    }

    static String bearer(String labelUrl, String service) {
        return "Bearer " + of(labelUrl, service);
    }
}
