package dev.loupe.label;

import dev.loupe.synthetic.BombPng;
import dev.loupe.testing.Cost;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decompression bombs (875 KB PNGs claiming 30,000 x 30,000 pixels) as a single upload and inside an import: refused
 * from their headers with the usual reasons, quickly and without allocating their canvases (900 MB each).
 */
@QuarkusTest
class ImageBombTest {

    /** The test profile's loupe.label.max-image-pixels. */
    private static final String REASON = "image is 30000x30000 = 900000000 pixels, more than the limit of 4000000";
    /**
     * CPU time of the whole JVM (decoding one bomb takes about 30 s of CPU). Not wall time: on the shared 2-core build
     * machine (load 20+) requests needing 0.5 s of CPU waited seconds for it. Wall times are printed.
     */
    private static final long MAX_CPU_MILLIS = 3000;
    /** An import runs for seconds of polling while the broker, relay and database pool use CPU too; still < 1 bomb. */
    private static final long MAX_IMPORT_CPU_MILLIS = 10_000;
    /** All the JVM allocates meanwhile (service, broker, test client); one decoded bomb is >= 900 MB. */
    private static final long MAX_ALLOCATED = 256L << 20;

    private static byte[] bomb;

    @BeforeAll
    static void makeBomb() {
        bomb = BombPng.gray(30_000, 30_000);
    }

    @Test
    void aBombUploadedAsAnItemIsRefusedFromItsHeader() {
        String project = LabelApi.createProject();
        // the same path with bytes that are no image first, so the time measured is the bomb's, not ImageIO's first use
        given().multiPart("image", "notes.png", "not an image".getBytes(), "image/png").multiPart("label", "i")
                .post("/api/projects/{id}/items", project).then().statusCode(422).body("errors[0].field", equalTo("image"));
        Cost<ValidatableResponse> cost = Cost.of(() -> given().multiPart("image", "bomb.png", bomb, "image/png")
                .multiPart("label", "i").post("/api/projects/{id}/items", project).then());
        System.out.println("upload of a bomb: " + cost);
        cost.result().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("image"))
                .body("errors[0].message", equalTo(REASON));
        assertTrue(cost.cpuMillis() < MAX_CPU_MILLIS, cost.toString());
        assertTrue(cost.allocatedBytes() < MAX_ALLOCATED, cost.toString());
        assertEquals(0, LabelApi.itemCount(project));
    }

    @Test
    void anImportOfSeveralBombsReportsEachAndImportsTheRest() {
        String project = LabelApi.createProject();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            entries.put("train/v/bomb-" + i + ".png", bomb);
        }
        entries.put("train/v/good.png", LabelApi.png("v", 3));
        byte[] zip = Zips.of(entries);

        Cost<JsonPath> cost = Cost.of(() -> ImportTest.awaitImport(ImportTest.upload(project, zip, "bombs.zip")));
        System.out.println("import of " + zip.length + " zipped bytes holding 6 bombs: " + cost);
        JsonPath job = cost.result();
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals(7, job.getInt("total"));
        assertEquals(1, job.getInt("imported"));
        Map<String, String> failed = new LinkedHashMap<>();
        job.getList("failed", Map.class).forEach(f -> failed.put((String) f.get("path"), (String) f.get("reason")));
        assertEquals(6, failed.size(), failed.toString());
        failed.values().forEach(reason -> assertEquals(REASON, reason));
        // the whole import: upload, a background job, polls every 200 ms; 6 decoded bombs would be 3 minutes of CPU
        assertTrue(cost.cpuMillis() < MAX_IMPORT_CPU_MILLIS, cost.toString());
        assertTrue(cost.allocatedBytes() < MAX_ALLOCATED, cost.toString());
        assertEquals(1, LabelApi.itemCount(project));
    }
}
