package dev.loupe.testing;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based fuzzing of a service's REST API, generated from its committed OpenAPI document
 * ({@value OpenApiDocument#COMMITTED}). Every try sends one malformed request to every operation of the document: NUL
 * characters, unpaired surrogates or undecodable bytes in path and query parameters; in body fields NUL and unpaired
 * surrogates in strings and keys, huge, infinite and negative numbers, wrong JSON types, unknown enum values, bad UUIDs
 * and times; whole bodies that are missing, {@code null}, truncated, of the wrong type, not JSON, or nested 10,000 deep.
 * Each must answer 4xx (problem+json with the offending field for 400 and 422), and the snapshot endpoints must answer
 * the same before and after: malformed input changes nothing.
 *
 * <p>Called from a {@code @QuarkusTest} (RestAssured points at the app); requests go through {@code given()}, so a
 * global RestAssured request specification (e.g. a default Authorization header) applies. The property itself is
 * a seeded property run in plain JUnit ({@link Gen}: every try repeatable by its number).
 */
public final class OpenApiFuzz {

    /** Nesting deeper than Jackson's StreamReadConstraints allow (default 500 or 1000 depending on the version). */
    static final int DEEP = 10_000;
    /** Requests of one try in flight at once. */
    private static final int SENDERS = 4;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes non-ASCII (and so unpaired surrogates) as \\uXXXX escapes: the bytes on the wire are plain ASCII. */
    private static final ObjectWriter ASCII_JSON = JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");


    private final JsonNode document;
    private final Map<String, String> realIds = new LinkedHashMap<>();
    private final Map<String, String> baselines = new LinkedHashMap<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private final Set<String> optionalBodies = new LinkedHashSet<>();
    private final List<String> snapshots = new ArrayList<>();
    private final Set<String> numericQueryParams = new LinkedHashSet<>();
    private final ConcurrentMap<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private int tries = 50;
    /** The fixed seed of every run: the same requests on every machine. */
    static final long SEED = 20261205L;
    private List<Operation> operations;

    private OpenApiFuzz(JsonNode document) {
        this.document = document;
    }

    /** The document committed at {@value OpenApiDocument#COMMITTED} (surefire runs in the module folder). */
    public static OpenApiFuzz ofCommittedDocument() {
        return of(Path.of(OpenApiDocument.COMMITTED));
    }

    public static OpenApiFuzz of(Path yaml) {
        try {
            return new OpenApiFuzz(new YAMLMapper().readTree(yaml.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Path parameters of every path below {@code template} (which ends with the parameter, e.g.
     * {@code /api/projects/{id}}) get {@code id} instead of a random UUID, so requests reach body validation.
     */
    public OpenApiFuzz realId(String template, Object id) {
        if (!template.endsWith("}")) {
            throw new IllegalArgumentException("template must end with a path parameter: " + template);
        }
        realIds.put(template, String.valueOf(id));
        return this;
    }

    /** A valid body for {@code operation} ("POST /api/..."), which the fuzzer spoils one field at a time. */
    public OpenApiFuzz baseline(String operation, String json) {
        baselines.put(operation, json);
        return this;
    }

    /** Leaves {@code operation} out, saying why (e.g. a server-sent event stream). */
    public OpenApiFuzz skip(String operation, String why) {
        skipped.put(operation, why);
        return this;
    }

    /** An operation whose body may be left out (or be {@code null}) although the document marks it required. */
    public OpenApiFuzz optionalBody(String operation) {
        optionalBodies.add(operation);
        return this;
    }

    /** A GET path (with real ids filled in) whose answer must be the same before and after the fuzzing. */
    public OpenApiFuzz snapshot(String template) {
        snapshots.add(template);
        return this;
    }

    /** Query parameters documented as text that hold numbers: they also get huge, negative and non-numbers. */
    public OpenApiFuzz numericQueryParams(String... names) {
        numericQueryParams.addAll(List.of(names));
        return this;
    }

    /** How many tries; each try sends one malformed request to every operation. */
    public OpenApiFuzz tries(int tries) {
        this.tries = tries;
        return this;
    }

    /**
     * Runs the property: {@code tries} times, one malformed request to every operation, drawn from a {@link Random}
     * seeded by {@link #SEED} and the try's number; fails naming each request that was not rejected cleanly (and
     * the try, so it can be repeated).
     */
    public void run() {
        Map<String, String> before = snapshot();
        List<List<Gen<FuzzCase>>> slots = slotsPerOperation();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < tries && failures.size() < 5; i++) {
            // every kind of spoiling of an operation comes round in turn (try i uses its i-th), the values are random
            Random random = new Random(SEED * 31 + i);
            List<FuzzCase> cases = new ArrayList<>();
            for (List<Gen<FuzzCase>> operation : slots) {
                cases.add(operation.get(i % operation.size()).draw(random));
            }
            try {
                check(cases);
            } catch (AssertionError e) {
                failures.add("try " + i + " (seed " + SEED + "): " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail("malformed requests were not rejected cleanly:\n" + String.join("\n", failures));
        }
        Map<String, String> after = snapshot();
        for (String path : before.keySet()) {
            if (!before.get(path).equals(after.get(path))) {
                fail("malformed requests changed GET " + path + "\nbefore: " + cut(before.get(path)) + "\nafter:  "
                        + cut(after.get(path)));
            }
        }
        System.out.printf("OpenApiFuzz: %d tries x %d operations, answers %s; skipped %s%n", tries,
                operations().size(), new TreeMap<>(statuses), skipped);
    }

    /** The operations of the document, without the skipped ones. */
    public List<Operation> operations() {
        if (operations == null) {
            List<Operation> found = new ArrayList<>();
            document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
                if (METHODS.contains(op.getKey())) {
                    Operation operation = new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue());
                    if (!skipped.containsKey(operation.name())) {
                        found.add(operation);
                    }
                }
            }));
            operations = List.copyOf(found);
        }
        return operations;
    }

    /** The ways to spoil each operation that has something to spoil. */
    List<List<Gen<FuzzCase>>> slotsPerOperation() {
        List<List<Gen<FuzzCase>>> all = new ArrayList<>();
        for (Operation op : operations()) {
            List<Gen<FuzzCase>> slots = slots(op);
            if (!slots.isEmpty()) {
                all.add(List.copyOf(slots));
            }
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("no operation has a parameter or body to fuzz");
        }
        return all;
    }

    /** Sends every request; fails naming each that was not rejected with a 4xx (problem+json where it must). */
    void check(List<FuzzCase> cases) {
        // the requests of one try go to different operations: sent side by side, as concurrent clients would
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(SENDERS)) {
            for (FuzzCase c : cases) {
                pool.submit(() -> {
                    try {
                        check(c);
                    } catch (AssertionError | RuntimeException e) {
                        failures.add(e.getMessage());
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + cases.size() + " malformed requests were not rejected"
                    + " cleanly:\n" + String.join("\n", failures));
        }
    }

    void check(FuzzCase c) {
        RequestSpecification spec = RestAssured.given().urlEncodingEnabled(false).config(RestAssuredConfig.config()
                .httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.connection.timeout", 5_000)
                        .setParam("http.socket.timeout", 20_000)));
        if (c.contentType() != null) {
            spec.contentType(c.contentType());
        }
        if (c.body() != null) {
            spec.body(c.body());
        }
        Response response = spec.request(c.method(), c.uri());
        int status = response.statusCode();
        statuses.computeIfAbsent(String.valueOf(status), s -> new AtomicInteger()).incrementAndGet();
        String body = response.asString();
        if (status < 400 || status > 499) {
            throw new AssertionError(c + " answered " + status + " instead of 4xx: " + cut(body));
        }
        if ((status == 400 || status == 422) && !body.isEmpty()) {
            String type = response.contentType();
            if (type == null || !type.startsWith("application/problem+json")) {
                throw new AssertionError(c + " answered " + status + " as " + type + ", not application/problem+json: "
                        + cut(body));
            }
            Integer problemStatus = response.jsonPath().get("status");
            List<Object> errors = response.jsonPath().getList("errors");
            if (problemStatus == null || problemStatus != status || errors == null || errors.isEmpty()) {
                throw new AssertionError(c + " answered " + status + " with a problem that names no field: " + cut(body));
            }
        }
    }

    /** Status and body of every snapshot endpoint, once they answer the same three times in a row. */
    private Map<String, String> snapshot() {
        Map<String, String> previous = null;
        int same = 0;
        for (int attempt = 0; attempt < 60; attempt++) {
            Map<String, String> now = new LinkedHashMap<>();
            for (String template : snapshots) {
                String path = fill(template, null, null);
                Response response = RestAssured.given().urlEncodingEnabled(false).get(path);
                if (response.statusCode() >= 500) {
                    fail("snapshot GET " + path + " answered " + response.statusCode() + ": " + cut(response.asString()));
                }
                now.put(path, response.statusCode() + " " + response.asString());
            }
            same = now.equals(previous) ? same + 1 : 0;
            if (same == 2) {
                return now;
            }
            previous = now;
            ChildProcesses.sleep(500);
        }
        fail("the snapshot endpoints " + snapshots + " do not settle; malformed requests cannot be shown to change nothing");
        return previous;
    }

    private List<Gen<FuzzCase>> slots(Operation op) {
        List<Gen<FuzzCase>> slots = new ArrayList<>();
        for (JsonNode param : op.parameters()) {
            String name = param.path("name").asText();
            String in = param.path("in").asText();
            if (in.equals("path")) {
                slots.add(Malformed.pathValue().map(v -> request(op, "path " + name, fill(op.path(), name, v), null, null)));
            } else if (in.equals("query")) {
                JsonNode schema = resolve(param.path("schema"));
                boolean numeric = numericQueryParams.contains(name) || isNumber(schema);
                slots.add(Malformed.queryValue(numeric)
                        .map(v -> request(op, "query " + name, fill(op.path(), null, null) + "?" + name + "=" + v, null, null)));
            }
        }
        JsonNode requestBody = op.definition().path("requestBody");
        if (requestBody.isMissingNode()) {
            return slots;
        }
        String uri = fill(op.path(), null, null);
        JsonNode content = requestBody.path("content");
        if (!content.has("application/json")) {
            // multipart (uploads): a body that is missing or of the wrong media type
            slots.add(Gen.of("", "{\"name\": \"fuzz\"}").map(b -> request(op, "body of the wrong media type", uri,
                    "application/json", b)));
            return slots;
        }
        JsonNode schema = resolve(content.path("application/json").path("schema"));
        JsonNode baseline = baselines.containsKey(op.name()) ? parse(baselines.get(op.name())) : baseline(schema, 0);
        String valid = write(baseline);
        slots.add(Malformed.wholeBody(valid, schema.path("type").asText("object"), !optionalBodies.contains(op.name()))
                .map(b -> request(op, "body", uri, "application/json", b)));
        List<Field> fields = new ArrayList<>();
        fields(baseline, schema, new ArrayList<>(), fields);
        for (Field field : fields) {
            slots.add(Malformed.value(field.type(), field.schema()).map(value -> {
                JsonNode spoiled = baseline.deepCopy();
                set(spoiled, field.path(), value);
                return request(op, "body " + field.name() + " = " + abbreviate(value), uri, "application/json",
                        write(spoiled));
            }));
            if (field.required()) {
                JsonNode spoiled = baseline.deepCopy();
                remove(spoiled, field.path());
                slots.add(Gen.just(request(op, "body without required " + field.name(), uri, "application/json",
                        write(spoiled))));
            }
            if (field.type().equals("map")) {
                slots.add(Malformed.text().map(key -> {
                    JsonNode spoiled = baseline.deepCopy();
                    ObjectNode map = NODES.objectNode();
                    map.put(key, "fuzz");
                    set(spoiled, field.path(), map);
                    return request(op, "body " + field.name() + " key " + abbreviate(NODES.textNode(key)),
                            uri, "application/json", write(spoiled));
                }));
            }
        }
        return slots;
    }

    private static FuzzCase request(Operation op, String target, String uri, String contentType, String body) {
        return new FuzzCase(op.method(), op.path(), target, uri, contentType, body);
    }

    /** The path with each parameter filled: {@code param} gets {@code value}, others a real id or a random UUID. */
    String fill(String template, String param, String value) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            out.append(template, i, open);
            String name = template.substring(open + 1, close);
            if (name.equals(param)) {
                out.append(value);
            } else {
                out.append(realId(template.substring(0, close + 1)));
            }
            i = close + 1;
        }
        return out.toString();
    }

    private String realId(String prefix) {
        for (var e : realIds.entrySet()) {
            if (prefix.equals(e.getKey())) {
                return e.getValue();
            }
        }
        return UUID.randomUUID().toString();
    }

    /** A plausible valid value for the schema: the fuzzer spoils one field of it at a time. */
    private JsonNode baseline(JsonNode schema, int depth) {
        schema = resolve(schema);
        if (depth > 8) {
            return NODES.nullNode();
        }
        String type = type(schema);
        return switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                schema.path("properties").properties().forEach(p -> object.set(p.getKey(), baseline(p.getValue(), depth + 1)));
                yield object;
            }
            case "map" -> NODES.objectNode();
            case "array" -> NODES.arrayNode().add(baseline(schema.path("items"), depth + 1));
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(0.5);
            case "boolean" -> NODES.booleanNode(false);
            case "enum" -> schema.path("enum").get(0);
            default -> switch (schema.path("format").asText()) {
                case "uuid" -> NODES.textNode(UUID.randomUUID().toString());
                case "date-time" -> NODES.textNode("2026-01-01T00:00:00Z");
                default -> NODES.textNode("fuzz");
            };
        };
    }

    /** Every field of the baseline, depth first, with its schema. */
    private void fields(JsonNode value, JsonNode schema, List<Object> path, List<Field> out) {
        schema = resolve(schema);
        if (value.isObject() && !type(schema).equals("map")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                var e = it.next();
                List<Object> child = append(path, e.getKey());
                JsonNode childSchema = resolve(schema.path("properties").path(e.getKey()));
                boolean required = false;
                for (JsonNode name : schema.path("required")) {
                    required |= name.asText().equals(e.getKey());
                }
                out.add(new Field(child, type(childSchema, e.getValue()), childSchema, required));
                fields(e.getValue(), childSchema, child, out);
            }
        } else if (value.isArray() && !value.isEmpty()) {
            List<Object> child = append(path, 0);
            JsonNode childSchema = resolve(schema.path("items"));
            out.add(new Field(child, type(childSchema, value.get(0)), childSchema, false));
            fields(value.get(0), childSchema, child, out);
        }
    }

    private static List<Object> append(List<Object> path, Object segment) {
        List<Object> child = new ArrayList<>(path);
        child.add(segment);
        return child;
    }

    private static void set(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object segment = path.get(i);
            parent = segment instanceof Integer index ? parent.get(index) : parent.get((String) segment);
        }
        Object last = path.getLast();
        if (last instanceof Integer index) {
            ((ArrayNode) parent).set(index, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
    }

    private static void remove(JsonNode root, List<Object> path) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object segment = path.get(i);
            parent = segment instanceof Integer index ? parent.get(index) : parent.get((String) segment);
        }
        ((ObjectNode) parent).remove((String) path.getLast());
    }

    private JsonNode resolve(JsonNode schema) {
        int guard = 0;
        while (schema.has("$ref") && guard++ < 20) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("external $ref " + ref);
            }
            schema = document.at(ref.substring(1));
        }
        if (schema.has("allOf") && schema.get("allOf").size() == 1) {
            return resolve(schema.get("allOf").get(0));
        }
        return schema;
    }

    private static String type(JsonNode schema) {
        if (schema.has("enum")) {
            return "enum";
        }
        String type = schema.path("type").asText("");
        if (type.equals("object") && !schema.has("properties") && schema.has("additionalProperties")) {
            return "map";
        }
        return type.isEmpty() ? "any" : type;
    }

    private static String type(JsonNode schema, JsonNode value) {
        String type = type(schema);
        if (!type.equals("any")) {
            return type;
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isArray()) {
            return "array";
        }
        return value.isObject() ? "object" : "any";
    }

    private static boolean isNumber(JsonNode schema) {
        String type = schema.path("type").asText();
        return type.equals("integer") || type.equals("number");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(JsonNode node) {
        try {
            return ASCII_JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode raw(String json) {
        return NODES.rawValueNode(new RawValue(json));
    }

    private static String abbreviate(JsonNode value) {
        return cut(write(value), 40);
    }

    static String cut(String text) {
        return cut(text, 400);
    }

    private static String cut(String text, int max) {
        if (text == null) {
            return "null";
        }
        return text.length() > max ? text.substring(0, max) + "... (" + text.length() + " chars)" : text;
    }

    /** One operation of the document. */
    public record Operation(String method, String path, JsonNode definition) {

        String name() {
            return method + " " + path;
        }

        List<JsonNode> parameters() {
            List<JsonNode> params = new ArrayList<>();
            definition.path("parameters").forEach(params::add);
            return params;
        }
    }

    /** A body field: its path from the root (names and indexes) and its schema type. */
    private record Field(List<Object> path, String type, JsonNode schema, boolean required) {

        String name() {
            StringBuilder out = new StringBuilder();
            for (Object segment : path) {
                if (segment instanceof Integer index) {
                    out.append('[').append(index).append(']');
                } else {
                    out.append(out.isEmpty() ? "" : ".").append(segment);
                }
            }
            return out.toString();
        }
    }

    /** One malformed request; its text is what a failure report shows. */
    public record FuzzCase(String method, String template, String target, String uri, String contentType, String body) {

        @Override
        public String toString() {
            return method + " " + template + " with malformed " + target + " (" + method + " " + cut(uri, 200)
                    + (body == null ? "" : ", body " + cut(body, 200)) + ")";
        }
    }
}
