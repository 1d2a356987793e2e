package dev.loupe.label;

import dev.loupe.testing.AuthorizationMatrix;
import dev.loupe.testing.AuthorizationMatrix.Need;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Every operation of the label service, as anonymous, a revoked token, a non-member and each role (generated from /q/openapi). */
@QuarkusTest
class AuthorizationMatrixTest {

    @Test
    void everyOperationAnswersEachCallerAsItsRuleSays() {
        String url = "http://localhost:" + RestAssured.port;
        String project = LabelApi.createProject();
        JsonPath item = LabelApi.addItem(project, "i");
        byte[] zip = Zips.of(java.util.Map.of("i/a.png", LabelApi.png("i", 5)));
        String importId = given().multiPart("file", "a.zip", zip, "application/zip")
                .post("/api/projects/{id}/imports", project).then().statusCode(202).extract().path("importId");
        String migrationId = given().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("to", "postgres"))
                .post("/api/blob-migrations").then().statusCode(202).extract().path("migrationId");
        String user = dev.loupe.testing.TestAuth.createUser(url, "matrix-subject-" + UUID.randomUUID().toString().substring(0, 8),
                "matrix-subject-password");
        AuthorizationMatrix.of(url, url)
                .rule("GET /api/auth/jwks", Need.PUBLIC)
                .rule("POST /api/auth/session", Need.PUBLIC)
                .rule("POST /api/auth/token", Need.PUBLIC)
                .rule("GET /api/auth/oidc/login", Need.PUBLIC)
                .rule("GET /api/ui-config", Need.PUBLIC)
                .rule("DELETE /api/auth/session", Need.SIGNED_IN)
                .rule("GET /api/auth/me", Need.SIGNED_IN)
                .rule("PUT /api/auth/me/password", Need.SIGNED_IN)
                .rule("GET /api/auth/tokens", Need.SIGNED_IN)
                .rule("POST /api/auth/tokens", Need.SIGNED_IN)
                .rule("DELETE /api/auth/tokens/{id}", Need.SIGNED_IN)
                .rule("GET /api/projects", Need.SIGNED_IN)
                .rule("POST /api/projects", Need.GLOBAL_ADMIN)
                .rule("GET /api/users", Need.GLOBAL_ADMIN)
                .rule("POST /api/users", Need.GLOBAL_ADMIN)
                .rule("GET /api/users/{id}", Need.GLOBAL_ADMIN)
                .rule("PUT /api/users/{id}", Need.GLOBAL_ADMIN)
                .rule("GET /api/internal/access/{credentialId}", Need.SERVICE)
                .rule("POST /api/blob-migrations", Need.GLOBAL_ADMIN)
                .rule("GET /api/blob-migrations/{migrationId}", Need.GLOBAL_ADMIN)
                .rule("GET /api/projects/{id}", Need.VIEWER)
                .rule("PATCH /api/projects/{id}", Need.ADMIN)
                .rule("GET /api/projects/{id}/changes", Need.VIEWER)
                .rule("GET /api/projects/{id}/members", Need.VIEWER)
                .rule("PUT /api/projects/{id}/members", Need.ADMIN)
                .rule("GET /api/projects/{projectId}/items", Need.VIEWER)
                .rule("POST /api/projects/{projectId}/items", Need.CURATOR)
                .rule("GET /api/projects/{projectId}/imports", Need.VIEWER)
                .rule("POST /api/projects/{projectId}/imports", Need.CURATOR)
                .rule("POST /api/projects/{projectId}/relabels", Need.ANNOTATOR)
                .rule("POST /api/projects/{projectId}/exclusions", Need.ANNOTATOR)
                .rule("POST /api/projects/{projectId}/restorations", Need.ANNOTATOR)
                .rule("GET /api/imports/{importId}", Need.VIEWER)
                .rule("GET /api/items/{id}", Need.VIEWER)
                .rule("GET /api/items/{id}/image", Need.VIEWER)
                .rule("GET /api/items/{id}/history", Need.VIEWER)
                .rule("PUT /api/items/{id}/label", Need.ANNOTATOR)
                .rule("DELETE /api/items/{id}", Need.ANNOTATOR)
                .rule("POST /api/items/{id}/restore", Need.ANNOTATOR)
                .rule("GET /api/blobs/{sha256}", Need.VIEWER)
                .path("projectId", project)
                .pathFor("/api/projects/{id}", "id", project)
                .pathFor("/api/items/{id}", "id", item.getString("id"))
                .pathFor("/api/users/{id}", "id", user)
                .pathFor("/api/auth/tokens/{id}", "id", UUID.randomUUID().toString())
                .path("credentialId", UUID.randomUUID().toString())
                .path("importId", importId)
                .path("migrationId", migrationId)
                .path("sha256", item.getString("sha256"))
                .verify(project);
    }
}
