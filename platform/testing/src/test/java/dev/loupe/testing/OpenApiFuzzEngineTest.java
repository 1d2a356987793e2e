package dev.loupe.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fuzz engine against a tiny HTTP server: it passes a server that rejects everything and catches each kind of bug. */
class OpenApiFuzzEngineTest {

    private static final Path DOCUMENT = Path.of("src/test/resources/fuzz/openapi.yaml");
    private static final String PROBLEM = "{\"status\":400,\"title\":\"Malformed request\",\"errors\":[{\"field\":\"x\",\"message\":\"bad\"}]}";

    private HttpServer server;
    private final AtomicInteger things = new AtomicInteger();

    @AfterEach
    void stop() {
        RestAssured.reset();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aServerThatRejectsEveryMalformedRequestPasses() throws IOException {
        serve(body -> 400);
        fuzz().run();
    }

    @Test
    void aServerError500IsReportedWithTheRequest() throws IOException {
        serve(body -> body.contains("\\u0000") ? 500 : 400);
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> fuzz().run());
        assertThat(failure.getMessage(), containsString("answered 500 instead of 4xx"));
    }

    @Test
    void aRejectionThatIsNotProblemJsonIsReported() throws IOException {
        serve(body -> body.contains("\\uD800") ? 422 : 400, "text/plain");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> fuzz().run());
        assertThat(failure.getMessage(), containsString("not application/problem+json"));
    }

    @Test
    void aMalformedRequestThatChangesSomethingIsReported() throws IOException {
        serve(body -> {
            things.incrementAndGet();
            return 400;
        });
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> fuzz().run());
        assertThat(failure.getMessage(), containsString("changed GET /api/things"));
    }

    @Test
    void aMissingRequiredFieldThatIsAcceptedIsReported() throws IOException {
        serve(body -> body.equals("{\"count\":1}") ? 201 : 400);
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> fuzz().run());
        assertThat(failure.getMessage(), containsString("without required name"));
    }

    private OpenApiFuzz fuzz() {
        return OpenApiFuzz.of(DOCUMENT).tries(20).snapshot("/api/things");
    }

    private void serve(Function<String, Integer> statusOfPost) throws IOException {
        serve(statusOfPost, "application/problem+json");
    }

    private void serve(Function<String, Integer> statusOfRequest, String errorType) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            if (exchange.getRequestMethod().equals("GET") && exchange.getRequestURI().getPath().equals("/api/things")) {
                respond(exchange, 200, "application/json", "{\"count\":" + things.get() + "}");
            } else {
                respond(exchange, statusOfRequest.apply(body + (query == null ? "" : query.replace("%00", "\\u0000"))),
                        errorType, PROBLEM);
            }
        });
        server.start();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
