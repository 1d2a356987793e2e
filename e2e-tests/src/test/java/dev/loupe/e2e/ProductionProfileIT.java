package dev.loupe.e2e;

import dev.loupe.testing.LoupeStackTestResource;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A packaged service in the prod profile, as on Kubernetes: no fallback credentials, no Swagger UI, safe headers. */
class ProductionProfileIT {

    private static final LoupeStackTestResource STACK = new LoupeStackTestResource();
    private static Map<String, String> urls;

    @BeforeAll
    static void start() {
        STACK.init(Map.of("services", "dataset-service"));
        urls = STACK.start();
    }

    @AfterAll
    static void stop() {
        STACK.stop();
    }

    @Test
    void withoutDatabaseCredentialsTheServiceRefusesToStartAndSaysWhy() throws Exception {
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve("label-service/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is packaged");
        Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), "no-credentials", ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.http.port=0", "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // the database URL and Kafka are there; only the credentials are missing
        pb.environment().keySet().removeIf(k -> k.startsWith("LOUPE_DB_") || k.startsWith("QUARKUS_DATASOURCE"));
        pb.environment().put("LOUPE_DB_URL", urls.get("quarkus.datasource.jdbc.url"));
        pb.environment().put("LOUPE_KAFKA_BOOTSTRAP", urls.get("kafka.bootstrap.servers"));
        Process p = pb.start();
        boolean ended = p.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertTrue(ended, "the service stopped at once instead of starting with default credentials:\n" + output);
        assertNotEquals(0, p.exitValue(), output);
        assertTrue(output.contains("LOUPE_DB_USER"), "the failure names the missing variable:\n" + output);
    }

    @Test
    void swaggerUiIsOffAndTheOpenApiDocumentStays() {
        String dataset = urls.get("loupe.dataset-service-url");
        assertEquals(404, given().baseUri(dataset).get("/q/swagger-ui/").statusCode());
        assertEquals(404, given().baseUri(dataset).get("/q/swagger-ui").statusCode());
        Response openapi = given().baseUri(dataset).get("/q/openapi");
        assertEquals(200, openapi.statusCode());
        assertTrue(openapi.asString().contains("/api/webhooks"), "the dataset service's document");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        Response r = given().baseUri(urls.get("loupe.dataset-service-url")).get("/api/webhooks");
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertEquals("DENY", r.header("X-Frame-Options"));
        assertEquals("default-src 'none'; frame-ancestors 'none'", r.header("Content-Security-Policy"));
    }
}
