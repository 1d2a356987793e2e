package dev.loupe.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorization matrix of one service, generated from the OpenAPI document it serves ({@code /q/openapi}, which
 * {@code OpenApiDocumentTest} keeps equal to the committed one): every operation must have a rule, so a new endpoint
 * cannot ship without one, and every operation is called as
 * <ul>
 * <li>anonymous and with a revoked API token: 401 (public operations excepted);</li>
 * <li>a signed-in user who is not a member of the project: 404 for anything of the project (403 for operations of
 * administrators or services only);</li>
 * <li>each project role below the rule's: 403;</li>
 * <li>the rule's own role: allowed (neither 401, 403, 404 nor 5xx: the request may still be refused for its empty
 * body, which proves the check passed).</li>
 * </ul>
 * Callers are real accounts and API tokens made at the label service of the stack.
 */
public final class AuthorizationMatrix {

    /** What an operation needs. */
    public enum Need { PUBLIC, SIGNED_IN, VIEWER, ANNOTATOR, CURATOR, ADMIN, GLOBAL_ADMIN, SERVICE }

    private static final List<String> ROLES = List.of("viewer", "annotator", "curator", "admin");
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private final String serviceUrl;
    private final String labelUrl;
    private final Map<String, Need> rules = new LinkedHashMap<>();
    private final Map<String, String> pathValues = new LinkedHashMap<>();
    private final Map<String, String> pathValuesByPrefix = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> queries = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> headers = new LinkedHashMap<>();
    private final Map<String, Object> bodies = new LinkedHashMap<>();
    private Map<String, Object> schemas = Map.of();
    private String currentOperation;

    private AuthorizationMatrix(String serviceUrl, String labelUrl) {
        this.serviceUrl = serviceUrl;
        this.labelUrl = labelUrl;
    }

    public static AuthorizationMatrix of(String serviceUrl, String labelUrl) {
        return new AuthorizationMatrix(serviceUrl, labelUrl);
    }

    /** The rule of one operation, e.g. {@code rule("PUT /api/items/{id}/label", Need.ANNOTATOR)}. */
    public AuthorizationMatrix rule(String operation, Need need) {
        rules.put(operation, need);
        return this;
    }

    /** The value of a path parameter for every operation using it (a real id of the project's things). */
    public AuthorizationMatrix path(String parameter, String value) {
        pathValues.put(parameter, value);
        return this;
    }

    /**
     * A query parameter sent with every call of one operation, e.g. the project a list is asked for
     * ({@code query("GET /api/evaluations", "projectId", project)}).
     */
    public AuthorizationMatrix query(String operation, String parameter, String value) {
        queries.computeIfAbsent(operation, o -> new LinkedHashMap<>()).put(parameter, value);
        return this;
    }

    /**
     * A request header sent with every call of one operation, e.g. the version a change is based on
     * ({@code header("PUT /api/projects/{id}/split/config", "If-Match", "*")}), so the allowed role gets a real answer
     * rather than a 428 for the missing precondition.
     */
    public AuthorizationMatrix header(String operation, String name, String value) {
        headers.computeIfAbsent(operation, o -> new LinkedHashMap<>()).put(name, value);
        return this;
    }

    /**
     * The JSON body of one operation instead of the placeholder made from its schema: for operations whose project
     * is named in the body (a webhook's {@code projectId}), so the access check meets the project under test.
     */
    public AuthorizationMatrix body(String operation, Object body) {
        bodies.put(operation, body);
        return this;
    }

    /** The operations the service documents, as {@code METHOD /path}. */
    public List<String> documentedOperations() {
        Map<String, Map<String, Object>> paths = given().baseUri(serviceUrl).header("Authorization", "")
                .get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath().getMap("paths");
        List<String> operations = new ArrayList<>();
        paths.forEach((path, methods) -> methods.keySet().stream()
                .filter(m -> List.of("get", "put", "post", "delete", "patch").contains(m))
                .forEach(m -> operations.add(m.toUpperCase() + " " + path)));
        return operations;
    }

    /** The value of a path parameter for the operations whose path starts with {@code prefix} (wins over path()). */
    public AuthorizationMatrix pathFor(String prefix, String parameter, String value) {
        pathValuesByPrefix.put(prefix + " " + parameter, value);
        return this;
    }

    /** Checks every documented operation for the project (whose members this makes) and fails listing every miss. */
    public void verify(String projectId) {
        io.restassured.path.json.JsonPath document = given().baseUri(serviceUrl).header("Authorization", "")
                .get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        Map<String, Object> schemas = document.getMap("components.schemas");
        this.schemas = schemas == null ? Map.of() : schemas;
        List<String> documented = documentedOperations();
        assertEquals(new TreeSet<>(documented), new TreeSet<>(rules.keySet()),
                "every documented operation has exactly one authorization rule (left: documented, right: rules)");

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String password = "matrix-password-" + suffix;
        Map<String, String> tokens = new LinkedHashMap<>();
        Map<String, String> members = new LinkedHashMap<>();
        for (String role : ROLES) {
            String user = "matrix-" + role + "-" + suffix;
            TestAuth.createUser(labelUrl, user, password);
            members.put(user, role);
        }
        TestAuth.setMembers(labelUrl, projectId, members);
        members.forEach((user, role) -> tokens.put(role, TestAuth.token(labelUrl, user, password, null)));
        String outsider = "matrix-outsider-" + suffix;
        TestAuth.createUser(labelUrl, outsider, password);
        String outsiderToken = TestAuth.token(labelUrl, outsider, password, null);
        String revoked = revokedToken(outsider, password);
        String service = TestAuth.serviceToken(labelUrl, "trainer");

        List<String> misses = new ArrayList<>();
        // deletions last: the thing a DELETE removes is still there for every other operation on it
        List<String> ordered = new ArrayList<>(documented);
        ordered.sort(java.util.Comparator.comparing(operation -> operation.startsWith("DELETE ")));
        for (String operation : ordered) {
            Need need = rules.get(operation);
            String method = operation.substring(0, operation.indexOf(' '));
            String template = operation.substring(operation.indexOf(' ') + 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) paths.get(template).get(method.toLowerCase());
            String path = fill(template);
            currentOperation = operation;
            if (path == null) {
                misses.add(operation + ": no value for a path parameter (call path(...))");
                continue;
            }
            if (need == Need.PUBLIC) {
                // answered without a credential: no challenge (a wrong password's 401 at sign-in is the answer itself)
                Response response = call(method, path, spec, "");
                if (response.statusCode() >= 500 || response.statusCode() == 403
                        || (response.statusCode() == 401 && response.getHeader("WWW-Authenticate") != null)) {
                    misses.add(operation + " as anonymous: expected an answer without a credential, got "
                            + response.statusCode() + " " + abbreviate(response.asString()));
                }
                continue;
            }
            expect(misses, operation, "anonymous", call(method, path, spec, ""), 401);
            expect(misses, operation, "a revoked token", call(method, path, spec, "Bearer " + revoked), 401);
            switch (need) {
                case SIGNED_IN -> expectPassed(misses, operation, "a signed-in user", call(method, path, spec, "Bearer " + outsiderToken));
                case GLOBAL_ADMIN -> {
                    expect(misses, operation, "a project admin", call(method, path, spec, "Bearer " + tokens.get("admin")), 403);
                    expectAllowed(misses, operation, "a Loupe administrator",
                            call(method, path, spec, "Bearer " + TestAuth.adminToken(labelUrl)));
                }
                case SERVICE -> {
                    expect(misses, operation, "a Loupe administrator",
                            call(method, path, spec, "Bearer " + TestAuth.adminToken(labelUrl)), 403);
                    expectPassed(misses, operation, "the trainer service", call(method, path, spec, "Bearer " + service));
                }
                default -> {
                    expect(misses, operation, "a non-member", call(method, path, spec, "Bearer " + outsiderToken), 404);
                    String needed = need.name().toLowerCase();
                    for (String role : ROLES) {
                        Response response = call(method, path, spec, "Bearer " + tokens.get(role));
                        if (role.equals(needed)) {
                            expectAllowed(misses, operation, "a " + role, response);
                            break;
                        }
                        expect(misses, operation, "a " + role, response, 403);
                    }
                }
            }
        }
        assertTrue(misses.isEmpty(), misses.size() + " authorization misses:\n" + String.join("\n", misses));
    }

    private String revokedToken(String user, String password) {
        TestAuth.Session session = TestAuth.signIn(labelUrl, user, password);
        Response created = session.spec().contentType(ContentType.JSON).body(Map.of("name", "to-revoke"))
                .post("/api/auth/tokens");
        created.then().statusCode(201);
        session.spec().delete("/api/auth/tokens/{id}", created.<String>path("id")).then().statusCode(204);
        return created.path("token");
    }

    private String fill(String template) {
        Matcher m = PARAM.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String parameter = m.group(1);
            String value = pathValuesByPrefix.entrySet().stream()
                    .filter(e -> e.getKey().endsWith(" " + parameter) && template.startsWith(e.getKey().substring(0, e.getKey().length() - parameter.length() - 1)))
                    .max(java.util.Comparator.comparingInt(e -> e.getKey().length()))
                    .map(Map.Entry::getValue).orElse(pathValues.get(parameter));
            if (value == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Response call(String method, String path, Map<String, Object> spec, String authorization) {
        if (producesEventStream(spec)) {
            return streamStatus(method, path, authorization);
        }
        // a stream or a stuck request must fail the matrix, never hang it
        RequestSpecification request = given().baseUri(serviceUrl).header("Authorization", authorization)
                .config(io.restassured.RestAssured.config().httpClient(io.restassured.config.HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 60_000).setParam("http.connection.timeout", 10_000)));
        request = request.queryParams(queries.getOrDefault(currentOperation, Map.of()))
                .headers(headers.getOrDefault(currentOperation, Map.of()));
        Object body = spec.get("requestBody");
        if (bodies.containsKey(currentOperation)) {
            return request.contentType(ContentType.JSON).body(bodies.get(currentOperation)).request(method, path);
        }
        // a body of the documented shape (every field a placeholder): it parses, so what answers is the access check
        if (body instanceof Map<?, ?> requestBody && requestBody.get("content") instanceof Map<?, ?> content) {
            if (content.get("multipart/form-data") instanceof Map<?, ?> multipart) {
                Object shape = sample(multipart.get("schema"), 0);
                if (shape instanceof Map<?, ?> parts && !parts.isEmpty()) {
                    for (Map.Entry<?, ?> part : parts.entrySet()) {
                        request = part.getValue() instanceof byte[] bytes
                                ? request.multiPart(String.valueOf(part.getKey()), "placeholder.bin", bytes)
                                : request.multiPart(String.valueOf(part.getKey()), String.valueOf(part.getValue()));
                    }
                } else {
                    request = request.multiPart("placeholder", "x");
                }
            } else if (content.containsKey("application/x-www-form-urlencoded")) {
                request = request.contentType(ContentType.URLENC).formParam("placeholder", "x");
            } else if (content.get("application/json") instanceof Map<?, ?> json) {
                Object shape = sample(json.get("schema"), 0);
                request = request.contentType(ContentType.JSON).body(shape == null ? Map.of() : shape);
            }
        }
        return request.request(method, path);
    }

    /** A placeholder value of a schema: objects with every property, empty arrays, "x", 1, false. */
    private Object sample(Object schema, int depth) {
        if (!(schema instanceof Map<?, ?> map) || depth > 6) {
            return null;
        }
        if (map.get("$ref") instanceof String ref) {
            return sample(schemas.get(ref.substring(ref.lastIndexOf('/') + 1)), depth + 1);
        }
        if (map.get("enum") instanceof List<?> values && !values.isEmpty()) {
            return values.getFirst();
        }
        String type = String.valueOf(map.get("type"));
        if (map.get("properties") instanceof Map<?, ?> properties) {
            Map<String, Object> object = new LinkedHashMap<>();
            properties.forEach((name, property) -> {
                Object value = sample(property, depth + 1);
                if (value != null) {
                    object.put(String.valueOf(name), value);
                }
            });
            return object;
        }
        return switch (type) {
            case "array" -> List.of();
            case "object" -> Map.of();
            case "integer", "number" -> 1;
            case "boolean" -> false;
            case "string" -> switch (String.valueOf(map.get("format"))) {
                case "binary" -> new byte[] {1};
                case "uuid" -> UUID.randomUUID().toString();
                case "date-time" -> "2026-01-01T00:00:00Z";
                case "date" -> "2026-01-01";
                default -> "x";
            };
            default -> null;
        };
    }

    private static boolean producesEventStream(Map<String, Object> spec) {
        return String.valueOf(spec.get("responses")).contains("text/event-stream");
    }

    /** An event stream never ends: only its status and the start of an error body are read. */
    private Response streamStatus(String method, String path, String authorization) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        StringBuilder query = new StringBuilder();
        queries.getOrDefault(currentOperation, Map.of()).forEach((name, value) -> query.append(query.isEmpty() ? '?' : '&')
                .append(java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
        var builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create(serviceUrl + path + query))
                .timeout(java.time.Duration.ofSeconds(30)).method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
        headers.getOrDefault(currentOperation, Map.of()).forEach(builder::header);
        if (!authorization.isEmpty()) {
            builder.header("Authorization", authorization);
        }
        try {
            var response = http.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (var in = response.body()) {
                body = response.statusCode() == 200 ? "" : new String(in.readNBytes(300), java.nio.charset.StandardCharsets.UTF_8);
            }
            return new io.restassured.builder.ResponseBuilder().setStatusCode(response.statusCode()).setBody(body)
                    .setStatusLine("HTTP/1.1 " + response.statusCode()).build();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            http.close();
        }
    }

    private static void expect(List<String> misses, String operation, String who, Response response, int status) {
        if (response.statusCode() != status) {
            misses.add(operation + " as " + who + ": expected " + status + ", got " + response.statusCode() + " "
                    + abbreviate(response.asString()));
        }
    }

    private static void expectAllowed(List<String> misses, String operation, String who, Response response) {
        int status = response.statusCode();
        if (status == 401 || status == 403 || status == 404 || status >= 500) {
            misses.add(operation + " as " + who + ": expected to be let through, got " + status + " "
                    + abbreviate(response.asString()));
        }
    }

    /** Authenticated and authorized: anything but 401, 403 and 5xx (404 may mean "not yours" or an unknown id). */
    private static void expectPassed(List<String> misses, String operation, String who, Response response) {
        int status = response.statusCode();
        if (status == 401 || status == 403 || status >= 500) {
            misses.add(operation + " as " + who + ": expected to be let through, got " + status + " "
                    + abbreviate(response.asString()));
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
