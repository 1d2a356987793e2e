package dev.loupe.augment;

import dev.loupe.augment.image.MirrorLr;
import dev.loupe.augment.image.Operations;
import dev.loupe.augment.image.Pixels;
import dev.loupe.augment.image.Png;
import dev.loupe.augment.service.JobRunner;
import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.Sample;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.LoupeClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class AugmentFlowTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Inject
    EntityManager em;

    @Inject
    JobRunner runner;

    @Test
    void thePolicyMapsIvToViUnderMirrorAndRefusesMirrorForVii() throws Exception {
        String project = importSynthetic(3, 11);
        given().get("/api/projects/{id}/augment-policy", project).then().statusCode(200).header("ETag", "\"0\"")
                .header("Loupe-Policy-Source", "shipped").body("classes.iv.mirror-lr", equalTo("map-to: vi"));

        // iv mirrored is a vi, with the parent's mirror image as its pixels
        Map<String, Object> iv = firstItem(project, "iv");
        String job = given().contentType(ContentType.JSON)
                .body(Map.of("itemIds", List.of(iv.get("id")), "ops", List.of(Map.of("op", "mirror-lr")), "seed", 5))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(202)
                .body("status", equalTo("QUEUED")).body("total", equalTo(1)).extract().path("jobId");
        JsonPath done = awaitJob(job);
        assertEquals(1, done.getInt("done"));
        String created = done.getString("createdItemIds[0]");
        JsonPath item = given().baseUri(labelUrl).get("/api/items/{id}", created).then().statusCode(200).extract().jsonPath();
        assertEquals("vi", item.getString("label"));
        assertEquals("augmented", item.getString("source"));
        assertEquals(iv.get("id"), item.getString("provenance.parents[0].itemId"));
        assertEquals(((Number) iv.get("version")).longValue(), item.getLong("provenance.parents[0].version"));
        assertEquals("mirror-lr", item.getString("provenance.operations[0].op"));
        assertEquals(job, item.getString("provenance.job"));
        Pixels parent = Pixels.of(Png.decode(image(iv.get("id").toString())));
        assertEquals(new MirrorLr().apply(parent, null), Pixels.of(Png.decode(image(created))), "the new image is the mirror");

        // vii mirrored reads IIV: refused, nothing created; unless the caller names the class of the result
        Map<String, Object> vii = firstItem(project, "vii");
        long itemsBefore = itemCount(project);
        given().contentType(ContentType.JSON).body(Map.of("itemIds", List.of(vii.get("id")), "ops", List.of(Map.of("op", "mirror-lr"))))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("ops[0]"));
        given().get("/api/projects/{id}/augmentations", project).then().body("size()", equalTo(1));
        assertEquals(itemsBefore, itemCount(project));
        String overruled = given().contentType(ContentType.JSON).body(Map.of("itemIds", List.of(vii.get("id")),
                        "ops", List.of(Map.of("op", "mirror-lr")), "resultLabel", "x"))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(202).extract().path("jobId");
        String xItem = awaitJob(overruled).getString("createdItemIds[0]");
        given().baseUri(labelUrl).get("/api/items/{id}", xItem).then().body("label", equalTo("x"));

        // the project edits its own policy with optimistic concurrency
        Map<String, Object> policy = given().get("/api/projects/{id}/augment-policy", project).then().extract().jsonPath().getMap("$");
        @SuppressWarnings("unchecked")
        Map<String, Object> classes = (Map<String, Object>) policy.get("classes");
        classes.put("vii", Map.of("mirror-lr", "forbidden: still IIV", "blur", "forbidden: our vii are faint"));
        given().contentType(ContentType.JSON).body(policy).put("/api/projects/{id}/augment-policy", project).then().statusCode(428);
        given().contentType(ContentType.JSON).header("If-Match", "\"0\"").body(policy)
                .put("/api/projects/{id}/augment-policy", project).then().statusCode(200).header("ETag", "\"1\"")
                .header("Loupe-Policy-Source", "project");
        given().contentType(ContentType.JSON).header("If-Match", "\"0\"").body(policy)
                .put("/api/projects/{id}/augment-policy", project).then().statusCode(412);
        classes.put("iv", Map.of("mirror-lr", "map-to: xi"));
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(policy)
                .put("/api/projects/{id}/augment-policy", project).then().statusCode(422)
                .body("errors[0].field", equalTo("classes.iv.mirror-lr"));
        given().get("/api/projects/{id}/augment-policy", project).then().header("ETag", "\"1\"")
                .body("classes.iv.mirror-lr", equalTo("map-to: vi")).body("classes.vii.blur", equalTo("forbidden: our vii are faint"));
        given().contentType(ContentType.JSON).body(Map.of("itemIds", List.of(vii.get("id")),
                        "ops", List.of(Map.of("op", "blur", "params", Map.of("radius", 1)))))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(422).body("errors[0].field", equalTo("ops[0]"));
        given().get("/api/projects/{id}/augment-policy", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aJobCreatesItemsWithProvenanceAndARetryCreatesNoDuplicates() throws Exception {
        String project = importSynthetic(3, 12);
        Map<String, Object> body = Map.of("filter", Map.of("label", "ii"), "copiesPerItem", 2, "seed", 7,
                "ops", List.of(Map.of("op", "rotate", "params", Map.of("degrees", List.of(-10, 10))),
                        Map.of("op", "blur", "params", Map.of("radius", 0.8)),
                        Map.of("op", "noise", "params", Map.of("type", "gaussian", "sigma", 4))));
        var accepted = given().contentType(ContentType.JSON).header("Idempotency-Key", "round-1").body(body)
                .post("/api/projects/{id}/augmentations", project).then().statusCode(202).extract();
        String job = accepted.path("jobId");
        assertTrue(accepted.header("Location").endsWith("/api/augmentations/" + job), accepted.header("Location"));
        // the client retries (e.g. its connection dropped): the same job, no new one
        given().contentType(ContentType.JSON).header("Idempotency-Key", "round-1").body(body)
                .post("/api/projects/{id}/augmentations", project).then().statusCode(200).body("jobId", equalTo(job));
        given().contentType(ContentType.JSON).header("Idempotency-Key", "round-1").body(Map.of("filter", Map.of("label", "iii"),
                        "ops", List.of(Map.of("op", "mirror-lr")))).post("/api/projects/{id}/augmentations", project)
                .then().statusCode(409).body("errors[0].field", equalTo("Idempotency-Key"));

        JsonPath done = awaitJob(job);
        assertEquals(6, done.getInt("total"));
        assertEquals(6, done.getInt("done"));
        assertEquals(0, done.getInt("failed"));
        List<String> created = done.getList("createdItemIds");
        assertEquals(6, new HashSet<>(created).size());
        List<Map<String, Object>> augmented = items(project, "augmented");
        assertEquals(6, augmented.size());
        for (Map<String, Object> item : augmented) {
            assertEquals("ii", item.get("label"));
            JsonPath p = JsonPath.from(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(item.get("provenance")));
            assertEquals(List.of("rotate", "blur", "noise"), p.getList("operations.op"));
            double degrees = p.getDouble("operations[0].params.degrees");
            assertTrue(degrees >= -10 && degrees <= 10, "drawn from the range: " + degrees);
            assertEquals("gaussian", p.getString("operations[2].params.type"));
            assertEquals(job, p.getString("job"));
            assertEquals(1, p.getList("parents").size());
        }
        // two copies of one parent differ (their own seeds), and each is reproducible from its provenance
        Map<String, Object> first = augmented.stream().filter(i -> i.get("id").equals(created.get(0))).findFirst().orElseThrow();
        Map<String, Object> second = augmented.stream().filter(i -> i.get("id").equals(created.get(1))).findFirst().orElseThrow();
        assertNotEquals(first.get("sha256"), second.get("sha256"));
        assertNotEquals(JsonPath.from(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(first.get("provenance")))
                        .getDouble("operations[0].params.degrees"),
                JsonPath.from(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(second.get("provenance")))
                        .getDouble("operations[0].params.degrees"), "each copy draws its own angle");
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = (Map<String, Object>) first.get("provenance");
        @SuppressWarnings("unchecked")
        String parentId = ((List<Map<String, Object>>) provenance.get("parents")).getFirst().get("itemId").toString();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ops = (List<Map<String, Object>>) provenance.get("operations");
        byte[] again = Png.encode(Operations.applyAll(Operations.parseAll(ops), Png.decode(image(parentId)),
                new SplittableRandom(((Number) provenance.get("seed")).longValue())));
        assertArrayEquals(again, image(created.get(0)), "same parent, operations and seed give the same image");

        // the service crashes after the label service stored the images but before the job recorded them
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE augment_unit SET status = 'PENDING', created_item_id = NULL, attempts = 0 WHERE job_id = ?1")
                    .setParameter(1, UUID.fromString(job)).executeUpdate();
            em.createNativeQuery("UPDATE augment_job SET status = 'RUNNING', done = 0, finished_at = NULL WHERE job_id = ?1")
                    .setParameter(1, UUID.fromString(job)).executeUpdate();
        });
        given().get("/api/augmentations/{j}", job).then().body("status", equalTo("RUNNING")).body("pending", equalTo(6));
        runner.resumeUnfinished();
        JsonPath resumed = awaitJob(job);
        assertEquals(created, resumed.getList("createdItemIds"), "the same items, not new ones");
        assertEquals(6, items(project, "augmented").size());

        // a contact sheet of what the job made: one row per parent, the parent then its two copies
        byte[] sheet = given().queryParam("rows", 3).get("/api/augmentations/{j}/contact-sheet", job).then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        var png = Png.decode(sheet);
        assertEquals(4 + 3 * (96 + 4), png.getWidth());
        assertEquals(4 + 3 * (96 + 4), png.getHeight());
        Path out = Path.of("target", "augment-contact-sheet.png");
        Files.write(out, sheet);

        // a preview creates nothing
        byte[] preview = given().contentType(ContentType.JSON).body(Map.of("ops", List.of(Map.of("op", "rotate",
                        "params", Map.of("degrees", -10))), "copies", 3)).post("/api/items/{id}/augment-preview", parentId)
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertEquals(4 + 4 * 100, Png.decode(preview).getWidth());
        assertEquals(6, items(project, "augmented").size());

        // a filter takes the original images unless told otherwise: copies of copies compound their distortions
        String originalsOnly = given().contentType(ContentType.JSON).body(Map.of("filter", Map.of("label", "ii"),
                        "ops", List.of(Map.of("op", "mirror-lr")))).post("/api/projects/{id}/augmentations", project)
                .then().statusCode(202).body("total", equalTo(3)).extract().path("jobId");
        awaitJob(originalsOnly);
        // 3 originals, 6 + 3 augmented
        given().contentType(ContentType.JSON).body(Map.of("filter", Map.of("label", "ii", "source", "any"),
                "ops", List.of(Map.of("op", "mirror-lr")))).post("/api/projects/{id}/augmentations", project).then()
                .statusCode(202).body("total", equalTo(12));
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndCreatesNothing() throws Exception {
        String project = importSynthetic(3, 13);
        Map<String, Object> item = firstItem(project, "iii");
        Object id = item.get("id");
        long before = itemCount(project);
        Map<Object, String> cases = new java.util.LinkedHashMap<>();
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "blur", "params", Map.of("radius", -1)))), "ops[0].radius");
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "rotate", "params", Map.of("degrees", "NaN")))), "ops[0].degrees");
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "crop", "params",
                Map.of("x", 0, "y", 0, "width", 100_000, "height", 10)))), "ops[0].width");
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "erase", "params", Map.of("mask", png(4, 4, false))))), "ops[0].mask");
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "erase", "params", Map.of("mask", png(5, 5, true))))), "ops[0].mask");
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "sharpen"))), "ops[0].op");
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "rotate", "params", Map.of("degrees", List.of(10, -10))))), "ops[0].degrees");
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "blur", "params", Map.of("radius", List.of(-1, 2))))), "ops[0].radius");
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "rotate", "params", Map.of("degrees", List.of(-40, 40))))), "ops[0]");
        cases.put(Map.of("itemIds", List.of(id), "ops", List.of()), "ops");
        cases.put(Map.of("ops", List.of(Map.of("op", "mirror-tb"))), "itemIds");
        cases.put(Map.of("itemIds", List.of(id), "copiesPerItem", 0, "ops", List.of(Map.of("op", "zoom", "params", Map.of("factor", 1.1)))), "copiesPerItem");
        cases.put(Map.of("filter", Map.of(), "copiesPerItem", 20, "ops", List.of(Map.of("op", "zoom", "params", Map.of("factor", 1.1)))), "filter");
        cases.put(Map.of("filter", Map.of("label", "nope"), "ops", List.of(Map.of("op", "zoom", "params", Map.of("factor", 1.1)))), "filter");
        cases.put(Map.of("filter", Map.of("split", "holdout"), "ops", List.of(Map.of("op", "zoom", "params", Map.of("factor", 1.1)))), "filter.split");
        for (Map.Entry<Object, String> c : cases.entrySet()) {
            given().contentType(ContentType.JSON).body(c.getKey()).post("/api/projects/{id}/augmentations", project).then()
                    .statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo(c.getValue()));
        }
        given().contentType(ContentType.JSON).body(Map.of("itemIds", List.of(UUID.randomUUID()), "ops", List.of(Map.of("op", "mirror-tb"))))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(404).body("errors[0].field", equalTo("itemIds[0]"));
        given().contentType(ContentType.JSON).body(Map.of("itemIds", List.of(id), "ops", List.of(Map.of("op", "mirror-tb"))))
                .post("/api/projects/{id}/augmentations", UUID.randomUUID()).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("itemIds", List.of("not-a-uuid"), "ops", List.of()))
                .post("/api/projects/{id}/augmentations", project).then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("label", "vii", "count", 5)).post("/api/projects/{id}/recipes", project)
                .then().statusCode(422).body("errors[0].field", equalTo("glyphIds"));
        given().contentType(ContentType.JSON).body(Map.of("label", "vii", "count", 100_000)).post("/api/projects/{id}/recipes", project)
                .then().statusCode(422).body("errors[0].field", equalTo("count"));
        given().contentType(ContentType.JSON).body(Map.of("glyphIds", List.of(UUID.randomUUID()), "label", "vii"))
                .post("/api/projects/{id}/compositions", project).then().statusCode(404).body("errors[0].field", equalTo("glyphIds[0]"));
        given().contentType(ContentType.JSON).body(Map.of("glyphIds", List.of(UUID.randomUUID()), "label", "xi"))
                .post("/api/projects/{id}/compositions", project).then().statusCode(422).body("errors[0].field", equalTo("label"));
        given().contentType(ContentType.JSON).body(Map.of("glyphIds", List.of(UUID.randomUUID()), "label", "vii",
                        "layout", Map.of("scaleJitter", 3))).post("/api/projects/{id}/compositions", project)
                .then().statusCode(422).body("errors[0].field", equalTo("layout.scaleJitter"));
        given().contentType(ContentType.JSON).body(Map.of("itemId", id, "symbol", "i", "crop", Map.of("x", 0, "y", 0, "width", 0, "height", 5)))
                .post("/api/glyphs").then().statusCode(422).body("errors[0].field", equalTo("crop.width"));
        given().contentType(ContentType.JSON).body(Map.of("itemId", id, "crop", Map.of("x", 0, "y", 0, "width", 5, "height", 5)))
                .post("/api/glyphs").then().statusCode(422).body("errors[0].field", equalTo("symbol"));
        given().contentType(ContentType.JSON).body(Map.of("itemId", id, "symbol", "i", "erase", List.of(Map.of("x", 100_000, "y", 0, "width", 5, "height", 5))))
                .post("/api/glyphs").then().statusCode(422).body("errors[0].field", equalTo("erase[0].x"));
        given().contentType(ContentType.JSON).body(Map.of("itemId", UUID.randomUUID(), "symbol", "i"))
                .post("/api/glyphs").then().statusCode(404).body("errors[0].field", equalTo("itemId"));
        given().get("/api/augmentations/{j}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/glyphs/{g}", UUID.randomUUID()).then().statusCode(404);

        // nothing was created by any of them
        given().get("/api/projects/{id}/augmentations", project).then().body("size()", equalTo(0));
        given().get("/api/projects/{id}/glyphs", project).then().body("size()", equalTo(0));
        assertEquals(before, itemCount(project));
    }

    // --- helpers

    /** A project of all ten classes with {@code perClass} synthetic images each, fully imported. */
    String importSynthetic(int perClass, long seed) throws Exception {
        List<Sample> samples = new RomanNumeralGenerator(new SyntheticSpec(SyntheticSpec.ROMAN_I_TO_X, perClass, 0.2, 0, 0, seed)).generate();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);
        String project = LoupeClient.importZip(labelUrl, "aug", SyntheticSpec.ROMAN_I_TO_X, zip.toByteArray());
        awaitTrue("import of " + samples.size(), () -> itemCount(project) == samples.size());
        return project;
    }

    long itemCount(String project) {
        return given().baseUri(labelUrl).queryParam("size", 1).get("/api/projects/{id}/items", project).then().statusCode(200)
                .extract().jsonPath().getLong("total");
    }

    Map<String, Object> firstItem(String project, String label) {
        return given().baseUri(labelUrl).queryParam("label", label).queryParam("source", "original").queryParam("size", 1)
                .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getMap("items[0]");
    }

    List<Map<String, Object>> items(String project, String source) {
        return given().baseUri(labelUrl).queryParam("source", source).queryParam("size", 1000)
                .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getList("items");
    }

    byte[] image(String itemId) {
        return given().baseUri(labelUrl).get("/api/items/{id}/image", itemId).then().statusCode(200).extract().asByteArray();
    }

    static JsonPath awaitJob(String job) throws InterruptedException {
        JsonPath[] last = new JsonPath[1];
        awaitTrue("job " + job, () -> {
            last[0] = given().get("/api/augmentations/{j}", job).then().statusCode(200).extract().jsonPath();
            String status = last[0].getString("status");
            return status.equals("COMPLETED") || status.equals("FAILED");
        });
        return last[0];
    }

    static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    /** A base64 PNG mask: all zero (selects nothing) or with one set pixel. */
    static String png(int w, int h, boolean onePixel) {
        var image = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        if (onePixel) image.getRaster().setSample(1, 1, 0, 255);
        return Base64.getEncoder().encodeToString(Png.encode(image));
    }

}
