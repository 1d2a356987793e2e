package dev.loupe.dataset;

import dev.loupe.synthetic.SyntheticSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A validation side that stays put: frozen at a version's val items, it survives relabels, exclusions and added
 * copies (which are left out, never trained), versions made while frozen compare with a verdict, versions whose val
 * sides differ are "not comparable", and unfreezing hands val back to the strategy.
 */
@QuarkusTest
class FrozenValidationTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aFrozenValidationSideStaysPutAndOnlyLikeIsComparedWithLike() throws Exception {
        String project = EvaluationCompareTest.importProject(labelUrl, new SyntheticSpec(List.of("i", "ii"), 10, 0.2, 0, 0, 61), "frozen");
        AccessTest.awaitSplitOf(project, 20);
        String v0 = EvaluationCompareTest.version(project, "base");
        List<String> val0 = versionVal(v0);
        assertEquals(4, val0.size());

        // bad input: 422 naming frozenValVersion, and nothing changes
        String other = EvaluationCompareTest.importProject(labelUrl, new SyntheticSpec(List.of("i", "ii"), 4, 0.25, 0, 0, 62), "frozen-other");
        AccessTest.awaitSplitOf(other, 8);
        String foreign = EvaluationCompareTest.version(other, "foreign");
        String etag = given().get("/api/projects/{id}/split/config", project).then().statusCode(200)
                .body("frozenValVersion", nullValue()).extract().header("ETag");
        for (String bad : List.of(UUID.randomUUID().toString(), foreign, "not-a-version")) {
            given().contentType(ContentType.JSON).header("If-Match", etag).body(config("stratified", 0.2, bad))
                    .put("/api/projects/{id}/split/config", project).then().statusCode(422)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("frozenValVersion"));
        }
        given().get("/api/projects/{id}/split/config", project).then().header("ETag", etag)
                .body("frozenValVersion", nullValue());

        // freeze at v0, with a strategy and fraction that would choose another val side: val is v0's
        given().contentType(ContentType.JSON).header("If-Match", etag).body(config("keep-original", 0.5, v0))
                .put("/api/projects/{id}/split/config", project).then().statusCode(200)
                .body("frozenValVersion", equalTo(v0)).body("valFraction", equalTo(0.5f));
        JsonPath split = awaitSplit(project, s -> v0.equals(s.getString("frozenValVersion")) && s.getBoolean("current"));
        assertEquals("base", split.getString("frozenValVersionName"));
        assertEquals(4, split.getInt("frozenValItems"));
        assertEquals(Set.copyOf(val0), splitVal(project));

        // a relabel of a frozen val item: it stays on val, with its new label (label fixes count)
        String relabelled = val0.get(0);
        String oldLabel = given().queryParam("itemId", relabelled).get("/api/projects/{id}/split/items", project)
                .then().extract().path("items[0].label");
        String newLabel = oldLabel.equals("i") ? "ii" : "i";
        long version = itemVersion(relabelled);
        long relabelledAt = given().baseUri(labelUrl).contentType(ContentType.JSON).header("If-Match", "\"" + version + "\"")
                .body(Map.of("label", newLabel, "reason", "test")).put("/api/items/{id}/label", relabelled)
                .then().statusCode(200).extract().jsonPath().getLong("version");
        awaitReached(project, relabelled, relabelledAt);
        given().queryParam("itemId", relabelled).get("/api/projects/{id}/split/items", project).then()
                .body("items[0].side", equalTo("val")).body("items[0].label", equalTo(newLabel));
        assertEquals(Set.copyOf(val0), splitVal(project));

        // an exclusion: that item leaves val, nothing replaces it
        String excluded = val0.get(1);
        long excludedAt = itemVersion(excluded);
        given().baseUri(labelUrl).header("If-Match", "\"" + excludedAt + "\"").queryParam("reason", "test")
                .delete("/api/items/{id}", excluded).then().statusCode(200);
        awaitReached(project, excluded, excludedAt + 1);
        Set<String> frozenNow = new HashSet<>(val0);
        frozenNow.remove(excluded);
        assertEquals(frozenNow, splitVal(project));

        // additions: an augmented copy and an exact copy of frozen val items are left out (never trained), an augmented
        // copy of a train item trains, its parent stays train, and val does not move
        String valParent = val0.get(2);
        String augmentedVal = augmented(project, valParent);
        String exactCopy = exactCopy(project, val0.get(3));
        String trainParent = given().queryParam("side", "train").get("/api/projects/{id}/split/items", project).then()
                .extract().path("items[0].itemId");
        String augmentedTrain = augmented(project, trainParent);
        for (String added : List.of(augmentedVal, exactCopy, augmentedTrain)) {
            awaitReached(project, added, 1);
        }
        for (String left : List.of(augmentedVal, exactCopy)) {
            given().queryParam("itemId", left).get("/api/projects/{id}/split/items", project).then()
                    .body("items[0].side", equalTo("out"))
                    .body("items[0].reason", equalTo("near-duplicate of a frozen validation item"));
        }
        for (String trains : List.of(augmentedTrain, trainParent)) {
            given().queryParam("itemId", trains).get("/api/projects/{id}/split/items", project).then()
                    .body("items[0].side", equalTo("train")).body("items[0].reason", nullValue());
        }
        assertEquals(frozenNow, splitVal(project));
        split = given().get("/api/projects/{id}/split", project).then().statusCode(200).extract().jsonPath();
        assertEquals(3, split.getInt("frozenValItems"));
        assertEquals(2, split.getInt("leftOut"));
        assertEquals(Map.of("near-duplicate of a frozen validation item", 2), split.getMap("leftOutReasons"));

        // versions made while frozen share their val side: they are compared with a verdict
        String v1 = EvaluationCompareTest.version(project, "frozen-1");
        String trainItem = given().queryParam("side", "train").queryParam("label", "ii")
                .get("/api/projects/{id}/split/items", project).then().extract().path("items[0].itemId");
        long trainAt = itemVersion(trainItem);
        long trainRelabelled = given().baseUri(labelUrl).contentType(ContentType.JSON).header("If-Match", "\"" + trainAt + "\"")
                .body(Map.of("label", "i", "reason", "test")).put("/api/items/{id}/label", trainItem)
                .then().statusCode(200).extract().jsonPath().getLong("version");
        awaitReached(project, trainItem, trainRelabelled);
        String v2 = EvaluationCompareTest.version(project, "frozen-2");
        assertEquals(frozenNow, Set.copyOf(versionVal(v1)));
        assertEquals(frozenNow, Set.copyOf(versionVal(v2)));
        given().get("/api/versions/{v}", v2).then().body("frozenValVersion", equalTo(v0));
        given().get("/api/versions/{v}", v0).then().body("frozenValVersion", nullValue());

        UUID p = UUID.fromString(project);
        EvaluationCompareTest.completed(bootstrap, p, v0, UUID.randomUUID(), List.of(seed(1, 0.60), seed(2, 0.62), seed(3, 0.61)));
        EvaluationCompareTest.completed(bootstrap, p, v1, UUID.randomUUID(), List.of(seed(1, 0.60), seed(2, 0.62), seed(3, 0.61)));
        EvaluationCompareTest.completed(bootstrap, p, v2, UUID.randomUUID(), List.of(seed(1, 0.70), seed(2, 0.71), seed(3, 0.73)));
        JsonPath evaluations = EvaluationCompareTest.awaitCompleted(v1);
        assertEquals(3, evaluations.getInt("[0].evaluationSet.valItems"));
        assertEquals(fingerprint(frozenNow), evaluations.getString("[0].evaluationSet.valFingerprint"));
        assertEquals(v0, evaluations.getString("[0].evaluationSet.frozenValVersion"));
        assertFalse(evaluations.getBoolean("[0].evaluationSet.testFolder"));
        JsonPath base = EvaluationCompareTest.awaitCompleted(v0);
        assertEquals(fingerprint(Set.copyOf(val0)), base.getString("[0].evaluationSet.valFingerprint"));
        assertNull(base.get("[0].evaluationSet.frozenValVersion"));
        EvaluationCompareTest.awaitCompleted(v2);

        JsonPath frozen = given().queryParam("against", v1).get("/api/versions/{v}/compare", v2).then().statusCode(200)
                .extract().jsonPath();
        assertEquals("val", frozen.getString("basis"));
        assertEquals(Map.of("basis", "val", "sameValItems", true, "frozen", true), frozen.getMap("evaluationSet"));
        assertEquals("better", frozen.getString("verdict"));
        assertEquals("better", frozen.getString("val.verdict"));
        assertNull(frozen.get("reason"));

        // v1 against v0: the exclusion changed the val side, so the numbers stay but there is no verdict
        JsonPath differ = given().queryParam("against", v0).get("/api/versions/{v}/compare", v1).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(Map.of("basis", "val", "sameValItems", false, "frozen", false), differ.getMap("evaluationSet"));
        assertEquals("not comparable", differ.getString("verdict"));
        assertEquals("not comparable", differ.getString("val.verdict"));
        assertEquals(3, differ.getInt("pairs"));
        assertEquals(0.0, differ.getDouble("val.difference"), 1e-9);
        given().queryParam("against", v0).get("/api/versions/{v}/compare", v1).then()
                .body("reason", containsString("validation sides differ")).body("reason", containsString("frozenValVersion"));

        // unfrozen: the strategy chooses val again, copies are no longer left out
        String frozenEtag = given().get("/api/projects/{id}/split/config", project).then().extract().header("ETag");
        given().contentType(ContentType.JSON).header("If-Match", frozenEtag).body(config("stratified", 0.2, null))
                .put("/api/projects/{id}/split/config", project).then().statusCode(200).body("frozenValVersion", nullValue());
        JsonPath unfrozen = awaitSplit(project, s -> s.get("frozenValVersion") == null && s.getBoolean("current")
                && "stratified".equals(s.getString("strategy")));
        assertEquals(0, unfrozen.getInt("leftOut"));
        assertEquals(Map.of(), unfrozen.getMap("leftOutReasons"));
        assertNull(unfrozen.get("frozenValItems"));
        assertEquals(4, splitVal(project).size(), "0.2 of the 20 original images (the exact copy is one of them)");
        // an augmented copy takes its parent to train, as it does in an unfrozen split
        for (String trains : List.of(augmentedVal, valParent)) {
            given().queryParam("itemId", trains).get("/api/projects/{id}/split/items", project).then()
                    .body("items[0].side", equalTo("train"));
        }
    }

    // --- helpers

    private static Map<String, Object> config(String strategy, double valFraction, String frozenValVersion) {
        Map<String, Object> body = new HashMap<>();
        body.put("strategy", strategy);
        body.put("valFraction", valFraction);
        body.put("seed", 42);
        body.put("maxItems", null);
        body.put("frozenValVersion", frozenValVersion);
        return body;
    }

    private static String fingerprint(Set<String> ids) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        ids.stream().sorted().forEach(id -> digest.update((id + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }

    private Set<String> splitVal(String project) {
        return Set.copyOf(given().queryParam("side", "val").get("/api/projects/{id}/split/items", project).then()
                .statusCode(200).extract().jsonPath().getList("items.itemId", String.class));
    }

    private List<String> versionVal(String version) {
        return given().queryParam("side", "val").get("/api/versions/{v}/items", version).then().statusCode(200)
                .extract().jsonPath().getList("itemId", String.class);
    }

    private long itemVersion(String itemId) {
        return given().baseUri(labelUrl).get("/api/items/{id}", itemId).then().statusCode(200).extract().jsonPath()
                .getLong("version");
    }

    private void awaitReached(String project, String itemId, long minVersion) {
        given().queryParam("itemId", itemId).queryParam("minVersion", minVersion).queryParam("wait", 30)
                .get("/api/projects/{id}/split", project).then().statusCode(200).body("reached", equalTo(true));
    }

    private String augmented(String project, String parent) {
        byte[] image = given().baseUri(labelUrl).get("/api/items/{id}/image", parent).then().statusCode(200).extract().asByteArray();
        String label = given().baseUri(labelUrl).get("/api/items/{id}", parent).then().extract().path("label");
        return given().baseUri(labelUrl).multiPart("image", "aug.png", image, "image/png")
                .multiPart("label", label).multiPart("source", "augmented")
                .multiPart("provenance", "{\"parents\":[{\"itemId\":\"" + parent + "\",\"version\":1}],"
                        + "\"operations\":[{\"op\":\"mirror-lr\"}],\"seed\":1}")
                .post("/api/projects/{id}/items", project).then().statusCode(201).extract().path("id");
    }

    private String exactCopy(String project, String of) {
        byte[] image = given().baseUri(labelUrl).get("/api/items/{id}/image", of).then().statusCode(200).extract().asByteArray();
        String label = given().baseUri(labelUrl).get("/api/items/{id}", of).then().extract().path("label");
        return given().baseUri(labelUrl).multiPart("image", "again.png", image, "image/png").multiPart("label", label)
                .post("/api/projects/{id}/items", project).then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> seed(long seed, double val) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("valAccuracy", val);
        m.put("perClass", Map.of("i", val, "ii", val));
        return m;
    }

    private JsonPath awaitSplit(String project, Predicate<JsonPath> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            last = given().get("/api/projects/{id}/split", project).then().statusCode(200).extract().jsonPath();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the split never got there: " + (last == null ? null : last.prettify()));
    }
}
