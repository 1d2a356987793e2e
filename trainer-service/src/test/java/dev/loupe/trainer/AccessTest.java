package dev.loupe.trainer;

import dev.loupe.testing.TestAuth;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who may do what at the trainer service, against the real label service as issuer: every request needs a
 * credential; a project's runs are read by its viewers and exist for nobody else (the lists leave them out); its test
 * folder is read by curators and set or removed by admins.
 */
@QuarkusTest
class AccessTest {

    private static final String PASSWORD = "access-test-password";

    /** A project with one finished run, a run of a project nobody here is a member of, the members' tokens. */
    private record Fixture(String project, UUID version, UUID run, UUID otherVersion, UUID otherRun, String suffix,
                           Map<String, String> tokens) {
        String token(String who) {
            return tokens.get(who);
        }
    }

    private static Fixture fixture;

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void project() throws SQLException {
        if (fixture != null) {
            return;
        }
        String project = given().baseUri(labelUrl).contentType(ContentType.JSON)
                .body(Map.of("name", "trainer-access", "classes", List.of("i", "ii", "iii")))
                .post("/api/projects").then().statusCode(201).extract().path("id");
        UUID version = UUID.randomUUID();
        UUID run = insertFinishedRun(UUID.fromString(project), version);
        UUID otherVersion = UUID.randomUUID();
        UUID otherRun = insertFinishedRun(UUID.randomUUID(), otherVersion);

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> members = new HashMap<>();
        Map<String, String> tokens = new HashMap<>();
        Map<String, String> roles = Map.of("viewer", "viewer", "curator", "curator", "padmin", "admin");
        for (String who : List.of("viewer", "curator", "padmin", "outsider")) {
            TestAuth.createUser(labelUrl, who + "-" + suffix, PASSWORD);
            if (roles.containsKey(who)) {
                members.put(who + "-" + suffix, roles.get(who));
            }
        }
        TestAuth.setMembers(labelUrl, project, members);
        for (String who : List.of("viewer", "curator", "padmin", "outsider")) {
            tokens.put(who, TestAuth.token(labelUrl, who + "-" + suffix, PASSWORD, null));
        }
        fixture = new Fixture(project, version, run, otherVersion, otherRun, suffix, tokens);
    }

    @Test
    void withoutACredentialEverythingIs401ProblemJson() {
        Fixture f = fixture;
        for (String path : List.of("/api/evaluations?projectId=" + f.project(), "/api/evaluations/" + f.run(),
                "/api/evaluations/" + f.run() + "/predictions", "/api/projects/" + f.project() + "/test-folder")) {
            given().header("Authorization", "").get(path).then().statusCode(401).contentType("application/problem+json");
        }
        given().header("Authorization", "").contentType(ContentType.JSON).header("If-Match", "*")
                .body(Map.of("path", "/tmp")).put("/api/projects/{id}/test-folder", f.project()).then().statusCode(401);
    }

    @Test
    void runsAreReadByTheProjectsMembersAndExistForNobodyElse() {
        Fixture f = fixture;
        as(f.token("viewer")).get("/api/evaluations/{id}", f.run()).then().statusCode(200)
                .body("projectId", equalTo(f.project())).body("status", equalTo("COMPLETED"));
        as(f.token("viewer")).get("/api/evaluations/{id}/predictions", f.run()).then().statusCode(200)
                .body("folds", equalTo(2));
        List<String> byVersion = as(f.token("viewer")).queryParam("versionId", f.version().toString())
                .get("/api/evaluations").then().statusCode(200).extract().path("id");
        assertEquals(List.of(f.run().toString()), byVersion);
        List<String> byProject = as(f.token("viewer")).queryParam("projectId", f.project())
                .get("/api/evaluations").then().statusCode(200).extract().path("id");
        assertEquals(List.of(f.run().toString()), byProject);

        // a project the caller is no member of: its runs do not exist, lists leave them out
        as(f.token("viewer")).get("/api/evaluations/{id}", f.otherRun()).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString(f.otherRun().toString()));
        as(f.token("viewer")).get("/api/evaluations/{id}/predictions", f.otherRun()).then().statusCode(404);
        List<String> other = as(f.token("viewer")).queryParam("versionId", f.otherVersion().toString())
                .get("/api/evaluations").then().statusCode(200).extract().path("id");
        assertEquals(List.of(), other);

        as(f.token("outsider")).get("/api/evaluations/{id}", f.run()).then().statusCode(404)
                .body("detail", not(containsString(f.project())));
        as(f.token("outsider")).get("/api/evaluations/{id}/predictions", f.run()).then().statusCode(404);
        assertEquals(List.of(), as(f.token("outsider")).queryParam("versionId", f.version().toString())
                .get("/api/evaluations").then().statusCode(200).extract().path("id"));
        as(f.token("outsider")).queryParam("projectId", f.project()).get("/api/evaluations").then().statusCode(404)
                .contentType("application/problem+json");

        // a Loupe administrator sees every project's runs
        given().get("/api/evaluations/{id}", f.otherRun()).then().statusCode(200);
        given().queryParam("versionId", f.otherVersion().toString()).get("/api/evaluations").then().statusCode(200)
                .body("id", equalTo(List.of(f.otherRun().toString())));
    }

    @Test
    void theTestFolderIsReadByCuratorsAndSetByAdmins() {
        Fixture f = fixture;
        as(f.token("outsider")).get("/api/projects/{id}/test-folder", f.project()).then().statusCode(404)
                .body("detail", containsString("project"));
        as(f.token("viewer")).get("/api/projects/{id}/test-folder", f.project()).then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("curator"));
        // past the access check: there is no test folder yet
        as(f.token("curator")).get("/api/projects/{id}/test-folder", f.project()).then().statusCode(404)
                .body("detail", containsString("test folder"));

        for (String who : List.of("viewer", "curator")) {
            as(f.token(who)).contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("path", ""))
                    .put("/api/projects/{id}/test-folder", f.project()).then().statusCode(403)
                    .body("detail", containsString("admin"));
            as(f.token(who)).header("If-Match", "*").delete("/api/projects/{id}/test-folder", f.project())
                    .then().statusCode(403);
        }
        as(f.token("outsider")).contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("path", ""))
                .put("/api/projects/{id}/test-folder", f.project()).then().statusCode(404);
        // the project's admin gets past the check to the folder's own validation
        as(f.token("padmin")).contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("path", ""))
                .put("/api/projects/{id}/test-folder", f.project()).then().statusCode(422)
                .body("errors[0].field", equalTo("path"));
        as(f.token("padmin")).header("If-Match", "*").delete("/api/projects/{id}/test-folder", f.project())
                .then().statusCode(404).body("detail", containsString("test folder"));
    }

    @Test
    void aRevokedTokenStopsWorking() throws InterruptedException {
        Fixture f = fixture;
        Response created = TestAuth.signIn(labelUrl, "viewer-" + f.suffix(), PASSWORD).spec().contentType(ContentType.JSON)
                .body(Map.of("name", "soon-revoked")).post("/api/auth/tokens");
        created.then().statusCode(201);
        String token = created.path("token");
        as(token).get("/api/evaluations/{id}", f.run()).then().statusCode(200);

        given().baseUri(labelUrl).delete("/api/auth/tokens/{id}", created.<String>path("id")).then().statusCode(204);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        int status = 200;
        while (status != 401 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            status = as(token).get("/api/evaluations/{id}", f.run()).statusCode();
        }
        assertEquals(401, status, "a revoked token is refused");
        as(f.token("viewer")).get("/api/evaluations/{id}", f.run()).then().statusCode(200);
    }

    // --- helpers

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** A run that ended, with out-of-fold predictions, as the worker leaves it (no worker takes it up again). */
    private UUID insertFinishedRun(UUID project, UUID version) throws SQLException {
        UUID run = UUID.randomUUID();
        try (var connection = db.getConnection(); var insert = connection.prepareStatement("INSERT INTO training_run "
                + "(run_id, project_id, version_id, trigger, status, epochs, seed, folds, epoch, metrics, predictions, "
                + "created_at, started_at, finished_at, updated_at) VALUES (?, ?, ?, 'REQUESTED', 'COMPLETED', 1, 1, 2, 1, "
                + "'{\"valAccuracy\": 0.5}', '{\"classes\": [\"i\", \"ii\", \"iii\"], \"folds\": 2, \"items\": []}', "
                + "now(), now(), now(), now())")) {
            insert.setObject(1, run);
            insert.setObject(2, project);
            insert.setObject(3, version);
            insert.executeUpdate();
        }
        return run;
    }
}
