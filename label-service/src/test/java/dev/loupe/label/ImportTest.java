package dev.loupe.label;

import dev.loupe.synthetic.ImageFolderZip;
import dev.loupe.synthetic.Sample;
import dev.loupe.testing.DcaiDataset;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ImportTest {

    /** Image counts of the real DCAI 2021 set per class, as its SOURCE.md gives them. */
    private static final Map<String, int[]> DCAI_COUNTS = Map.of(
            "i", new int[]{261, 82}, "ii", new int[]{157, 81}, "iii", new int[]{186, 79}, "iv", new int[]{281, 84},
            "v", new int[]{196, 83}, "vi", new int[]{181, 82}, "vii", new int[]{193, 77}, "viii", new int[]{199, 83},
            "ix", new int[]{234, 81}, "x", new int[]{179, 81});

    @Inject
    EntityManager em;

    @Test
    void syntheticZipImportsEveryImageWithSplitAndPathAndReimportSkipsThem() throws IOException {
        String project = LabelApi.createProject();
        List<Sample> samples = LabelApi.samples(6, 11);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, zip);

        JsonPath job = awaitImport(upload(project, zip.toByteArray(), "synthetic.zip"));
        assertEquals("COMPLETED", job.getString("status"));
        assertEquals(60, job.getInt("total"));
        assertEquals(60, job.getInt("imported"));
        assertEquals(0, job.getList("failed").size());

        Sample first = samples.getFirst();
        JsonPath page = given().queryParam("label", first.givenLabel()).queryParam("split", first.split())
                .get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath();
        assertTrue(page.getList("items.originalPath").contains(first.path()), page.prettify());
        assertEquals(List.of("original"), page.getList("items.source").stream().distinct().toList());
        assertEquals(first.width(), (int) page.getInt("items.find { it.originalPath == '" + first.path() + "' }.width"));

        JsonPath again = awaitImport(upload(project, zip.toByteArray(), "synthetic.zip"));
        assertEquals(0, again.getInt("imported"));
        assertEquals(60, again.getInt("skipped"));
        assertEquals(60, LabelApi.itemCount(project));
    }

    @Test
    void realDcaiSetImportsFromAZipWithItsCountsPerClassAndSplit() throws IOException {
        Path dcai = DcaiDataset.requireOrSkip();
        String project = LabelApi.createProject();
        Path zip = DcaiDataset.zip(dcai, Path.of("target", "dcai-train-val-" + UUID.randomUUID() + ".zip"), "train", "val");
        try {
            JsonPath job = awaitImport(upload(project, Files.readAllBytes(zip), "dcai.zip"));
            assertEquals("COMPLETED", job.getString("status"), job.prettify());
            assertEquals(2880, job.getInt("imported"));
            assertEquals(0, job.getList("failed").size());
        } finally {
            Files.deleteIfExists(zip);
        }
        assertDcaiCounts(project);
        // content addressing: 49 train/val pairs are byte-identical, so 49 fewer blobs than items
        long distinct = (Long) em.createQuery("select count(distinct sha256) from Item where projectId = ?1")
                .setParameter(1, UUID.fromString(project)).getSingleResult();
        assertEquals(2880 - 49, distinct);
    }

    @Test
    void realDcaiSetImportsFromAServerFolder() {
        Path dcai = DcaiDataset.requireOrSkip();
        String project = LabelApi.createProject();
        String importId = given().contentType(ContentType.JSON).body(Map.of("folder", dcai.toString()))
                .post("/api/projects/{id}/imports", project)
                .then().statusCode(202).extract().path("importId");
        JsonPath job = awaitImport(importId);
        // label_book/ is no split Loupe knows, so its 52 images come in without one
        assertEquals(2880 + 52, job.getInt("imported"), job.prettify());
        given().queryParam("split", "none").get("/api/projects/{id}/items", project).then().body("total", equalTo(52));
        assertDcaiCounts(project);
    }

    @Test
    void folderImportOutsideTheAllowedRootsIsRefusedAlikeWhetherThePathExistsOrNot() throws IOException {
        String project = LabelApi.createProject();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path link = tmp.resolve("loupe-link-" + UUID.randomUUID());
        Files.createSymbolicLink(link, Path.of("/etc"));
        try {
            // outside and existing, outside and missing, inside and missing, a link leading out, `..` leading out:
            // one answer, so a request cannot probe which server paths exist; it lists no server folder
            List<String> refused = List.of("/etc", "/does/not/exist", tmp.resolve("missing-" + UUID.randomUUID()).toString(),
                    link.toString(), tmp + "/../etc", "relative/folder");
            JsonPath first = null;
            for (String folder : refused) {
                JsonPath problem = given().contentType(ContentType.JSON).body(Map.of("folder", folder))
                        .post("/api/projects/{id}/imports", project)
                        .then().statusCode(422).contentType("application/problem+json")
                        .body("errors[0].field", equalTo("folder")).extract().jsonPath();
                assertFalse(problem.getString("detail").contains(tmp.toString()), problem.prettify());
                if (first == null) {
                    first = problem;
                } else {
                    assertEquals(first.getString("detail"), problem.getString("detail"), folder);
                    assertEquals(first.getString("errors[0].message"), problem.getString("errors[0].message"), folder);
                }
            }
            given().get("/api/projects/{id}/imports", project).then().statusCode(200).body("size()", equalTo(0));
        } finally {
            Files.deleteIfExists(link);
        }
    }

    @Test
    void aPartialImportReportsEachBadFileAndImportsTheRest() throws IOException {
        String project = LabelApi.createProject();
        byte[] good = LabelApi.png("iii", 3);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("train/iii/good.png", good);
        entries.put("train/iii/truncated.png", Arrays.copyOf(good, good.length / 2));
        entries.put("train/iii/corrupt.png", corrupt(good));
        entries.put("train/iii/notes.txt", "not an image".getBytes());
        entries.put("train/xi/eleven.png", good);
        entries.put("loose.png", good);
        entries.put("val/v/huge.png", blankPng(2100, 2000));
        entries.put("val/v/good.png", LabelApi.png("v", 3));
        entries.put("__MACOSX/train/iii/._good.png", new byte[]{1, 2});
        entries.put("train/.DS_Store", new byte[]{0});

        JsonPath job = awaitImport(upload(project, Zips.of(entries), "mixed.zip"));
        assertEquals("COMPLETED", job.getString("status"));
        assertEquals(2, job.getInt("imported"));
        assertEquals(8, job.getInt("total"));
        assertEquals(8, job.getInt("done"));
        Map<String, String> failed = new LinkedHashMap<>();
        job.getList("failed", Map.class).forEach(f -> failed.put((String) f.get("path"), (String) f.get("reason")));
        assertEquals(6, failed.size(), failed.toString());
        assertTrue(failed.get("train/xi/eleven.png").contains("unknown class 'xi'"), failed.toString());
        assertTrue(failed.get("loose.png").contains("not inside a class folder"), failed.toString());
        assertTrue(failed.get("train/iii/truncated.png").contains("corrupt or truncated"), failed.toString());
        assertTrue(failed.get("train/iii/corrupt.png").contains("corrupt or truncated"), failed.toString());
        assertTrue(failed.get("train/iii/notes.txt").contains("not an image"), failed.toString());
        assertTrue(failed.get("val/v/huge.png").contains("more than the limit"), failed.toString());
        assertEquals(2, LabelApi.itemCount(project));
    }

    @Test
    void hostileOrEmptyArchivesAreRefusedWholeAndCreateNothing() throws IOException {
        String project = LabelApi.createProject();
        byte[] png = LabelApi.png("i", 4);

        refused(project, Zips.of(Map.of("train/i/a.png", png, "../../etc/evil.png", png)), "unsafe entry path '../../etc/evil.png'");
        refused(project, Zips.of(Map.of("/tmp/evil.png", png)), "absolute path");
        refused(project, Zips.of(Map.of("train/i/bomb.png", new byte[64 << 20])), "zip bomb");
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i <= 5000; i++) {
            many.put("train/i/" + i + ".png", new byte[]{1});
        }
        refused(project, Zips.of(many), "more than the limit of 5000");
        refused(project, Zips.of(Map.of()), "no files");
        refused(project, "this is not a zip".getBytes(), "not a zip archive");
        refused(project, Zips.of(Map.of("train/eleven/a.png", png, "train/twelve/b.png", png)),
                "no folder matches a class");

        assertEquals(0, LabelApi.itemCount(project));
        given().get("/api/projects/{id}/imports", project).then().statusCode(200).body("$", org.hamcrest.Matchers.hasSize(0));
        given().post("/api/projects/{id}/imports", project).then().statusCode(415);
        given().multiPart("other", "x.zip", png).post("/api/projects/{id}/imports", project)
                .then().statusCode(400).body("errors[0].field", equalTo("file"));
        given().multiPart("file", "x.zip", png).post("/api/projects/{id}/imports", UUID.randomUUID())
                .then().statusCode(404);
        given().get("/api/imports/{id}", UUID.randomUUID()).then().statusCode(404);
    }

    private static void refused(String project, byte[] zip, String reason) {
        given().multiPart("file", "bad.zip", zip, "application/zip")
                .post("/api/projects/{id}/imports", project)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("file"))
                .body("errors[0].message", containsString(reason));
    }

    static String upload(String project, byte[] zip, String name) {
        return given().multiPart("file", name, zip, "application/zip")
                .post("/api/projects/{id}/imports", project)
                .then().statusCode(202)
                .header("Location", containsString("/api/imports/"))
                .body("status", startsWith("RUNNING"))
                .extract().path("importId");
    }

    static JsonPath awaitImport(String importId) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            JsonPath job = given().get("/api/imports/{id}", importId).then().statusCode(200).extract().jsonPath();
            if (!job.getString("status").equals("RUNNING") || Instant.now().isAfter(deadline)) {
                return job;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void assertDcaiCounts(String project) {
        DCAI_COUNTS.forEach((label, counts) -> {
            for (int s = 0; s < 2; s++) {
                String split = s == 0 ? "train" : "val";
                given().queryParam("label", label).queryParam("split", split).queryParam("size", 1)
                        .get("/api/projects/{id}/items", project)
                        .then().body("total", equalTo(counts[s]));
            }
        });
    }

    private static byte[] corrupt(byte[] png) {
        byte[] bad = png.clone();
        for (int i = 60; i < bad.length - 20; i += 7) {
            bad[i] ^= 0x5A;
        }
        return bad;
    }

    private static byte[] blankPng(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", out);
        return out.toByteArray();
    }
}
