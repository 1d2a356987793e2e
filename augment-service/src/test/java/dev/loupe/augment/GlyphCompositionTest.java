package dev.loupe.augment;

import dev.loupe.augment.glyph.NumeralSplit;
import dev.loupe.augment.image.Png;
import dev.loupe.augment.image.Rect;
import dev.loupe.testing.DcaiDataset;
import dev.loupe.testing.LoupeClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Erase-and-compose on the real DCAI handwriting: a V and I's cut out of a real viii and i become a new vii item. */
@QuarkusTest
class GlyphCompositionTest {

    @ConfigProperty(name = "loupe.label-service-url")
    String labelUrl;

    @Test
    void aViiComposedFromGlyphsCutOutOfRealViiiAndIImagesIsAnItem() throws Exception {
        Path dcai = DcaiDataset.requireOrSkip();
        // a real viii that splits cleanly into V + I + I + I by ink columns, and two real i's
        Path viiiFile = null;
        NumeralSplit split = null;
        for (Path f : pngs(dcai.resolve("train/viii"))) {
            Optional<NumeralSplit> s = NumeralSplit.of(Png.decode(Files.readAllBytes(f)));
            if (s.isPresent()) {
                viiiFile = f;
                split = s.get();
                break;
            }
        }
        assertTrue(viiiFile != null, "a real viii that splits by ink columns");
        List<Path> iFiles = pngs(dcai.resolve("train/i")).subList(0, 2);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (Path f : List.of(viiiFile, iFiles.get(0), iFiles.get(1))) {
                out.putNextEntry(new ZipEntry("train/" + f.getParent().getFileName() + "/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        List<String> classes = List.of("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x");
        String project = LoupeClient.importZip(labelUrl, "glyphs", classes, zip.toByteArray());
        AugmentFlowTest.awaitTrue("import", () -> total(project, null) == 3);
        Map<String, Object> viii = item(project, "viii");
        Map<String, Object> i = item(project, "i");

        // the V by cropping to its box; the III by erasing the V (the "erase the V and save the III")
        Rect v = split.v();
        JsonPath vGlyph = given().contentType(ContentType.JSON).header("Loupe-User", "ana")
                .body(Map.of("itemId", viii.get("id"), "symbol", "v", "crop", box(v)))
                .post("/api/glyphs").then().statusCode(201).extract().jsonPath();
        assertEquals(viii.get("id"), vGlyph.getString("itemId"));
        assertEquals(((Number) viii.get("version")).longValue(), vGlyph.getLong("itemVersion"));
        // the signed-in caller, not a Loupe-User header from a client that is not a trusted proxy
        assertEquals(dev.loupe.testing.TestAuth.ADMIN, vGlyph.getString("createdBy"));
        BufferedImage vImage = Png.decode(given().get(vGlyph.getString("imageUrl")).then().statusCode(200)
                .contentType("image/png").extract().asByteArray());
        assertEquals(1, NumeralSplit.letters(vImage), "the V glyph is one letter");
        String iii = given().contentType(ContentType.JSON).body(Map.of("itemId", viii.get("id"), "symbol", "iii",
                "erase", List.of(box(new Rect(0, 0, v.right(), imageHeight(viiiFile))))))
                .post("/api/glyphs").then().statusCode(201).extract().path("glyphId");
        BufferedImage iiiImage = Png.decode(given().get("/api/glyphs/{g}/image", iii).then().extract().asByteArray());
        assertEquals(3, NumeralSplit.letters(iiiImage), "erasing the V leaves three I's");
        // two I's: one from the viii, one a whole real i
        String i1 = given().contentType(ContentType.JSON).body(Map.of("itemId", viii.get("id"), "symbol", "i",
                "crop", box(split.is().get(1)))).post("/api/glyphs").then().statusCode(201).extract().path("glyphId");
        String i2 = given().contentType(ContentType.JSON).body(Map.of("itemId", i.get("id"), "symbol", "i"))
                .post("/api/glyphs").then().statusCode(201).extract().path("glyphId");
        given().queryParam("symbol", "i").get("/api/projects/{id}/glyphs", project).then().body("size()", equalTo(2));

        // the few-clicks way: every letter of the viii at once, named after its label
        JsonPath letters = given().contentType(ContentType.JSON).body(Map.of("itemId", viii.get("id")))
                .post("/api/glyphs/split").then().statusCode(201).extract().jsonPath();
        assertEquals(List.of("v", "i", "i", "i"), letters.getList("symbol"));
        assertEquals(v.x(), letters.getInt("[0].cut.crop.x"));
        assertEquals(v.width(), letters.getInt("[0].cut.crop.width"));
        given().contentType(ContentType.JSON).body(Map.of("itemId", i.get("id"), "symbols", List.of("i", "i")))
                .post("/api/glyphs/split").then().statusCode(422).body("errors[0].field", equalTo("symbols"));
        given().queryParam("symbol", "i").get("/api/projects/{id}/glyphs", project).then().body("size()", equalTo(5));

        // V + I + I composed into a vii: a new synthetic item with the real items as parents
        JsonPath composed = given().contentType(ContentType.JSON).header("Idempotency-Key", "vii-1")
                .body(Map.of("glyphIds", List.of(vGlyph.getString("glyphId"), i1, i2), "label", "vii", "seed", 3,
                        "layout", Map.of("spacing", 0.25, "baselineJitter", "2px")))
                .post("/api/projects/{id}/compositions", project).then().statusCode(201).extract().jsonPath();
        String viiId = composed.getString("itemId");
        assertEquals("vii", composed.getString("spelled"));
        JsonPath vii = given().baseUri(labelUrl).get("/api/items/{id}", viiId).then().statusCode(200).extract().jsonPath();
        assertEquals("vii", vii.getString("label"));
        assertEquals("synthetic", vii.getString("source"));
        assertEquals(List.of(viii.get("id"), i.get("id")), vii.getList("provenance.parents.itemId"));
        assertEquals("compose", vii.getString("provenance.operations[0].op"));
        assertEquals("vii", vii.getString("provenance.operations[0].params.symbols"));
        BufferedImage viiImage = Png.decode(given().baseUri(labelUrl).get("/api/items/{id}/image", viiId).then().extract().asByteArray());
        assertEquals(3, NumeralSplit.letters(viiImage), "the composite reads as three letters");
        Files.write(Path.of("target", "composed-vii-from-dcai.png"), Png.encode(viiImage));
        // the same key again: the same item
        given().contentType(ContentType.JSON).header("Idempotency-Key", "vii-1")
                .body(Map.of("glyphIds", List.of(vGlyph.getString("glyphId"), i1, i2), "label", "vii", "seed", 3))
                .post("/api/projects/{id}/compositions", project).then().statusCode(201).body("itemId", equalTo(viiId));
        assertEquals(1, total(project, "synthetic"));

        // the recipe: 6 new vii from the library (V from the viii, I's from both), jittered, as a job
        String job = given().contentType(ContentType.JSON).body(Map.of("label", "vii", "count", 6, "seed", 11,
                        "glyphIds", List.of(vGlyph.getString("glyphId"), i1, i2)))
                .post("/api/projects/{id}/recipes", project).then().statusCode(202).body("kind", equalTo("recipe"))
                .extract().path("jobId");
        JsonPath done = AugmentFlowTest.awaitJob(job);
        assertEquals(6, done.getInt("done"));
        assertEquals(7, total(project, "synthetic"));
        for (String id : done.<String>getList("createdItemIds")) {
            BufferedImage img = Png.decode(given().baseUri(labelUrl).get("/api/items/{id}/image", id).then().extract().asByteArray());
            assertEquals(3, NumeralSplit.letters(img), "recipe composite " + id);
        }
        given().contentType(ContentType.JSON).body(Map.of("label", "x", "count", 2))
                .post("/api/projects/{id}/recipes", project).then().statusCode(422).body("errors[0].field", equalTo("label"));
        byte[] sheet = given().get("/api/augmentations/{j}/contact-sheet", job).then().statusCode(200).extract().asByteArray();
        Files.write(Path.of("target", "recipe-vii-from-dcai.png"), sheet);
    }

    private long total(String project, String source) {
        var request = given().baseUri(labelUrl).queryParam("size", 1);
        if (source != null) request = request.queryParam("source", source);
        return request.get("/api/projects/{id}/items", project).then().statusCode(200).extract().jsonPath().getLong("total");
    }

    private Map<String, Object> item(String project, String label) {
        return given().baseUri(labelUrl).queryParam("label", label).queryParam("size", 1).get("/api/projects/{id}/items", project)
                .then().statusCode(200).extract().jsonPath().getMap("items[0]");
    }

    private static Map<String, Object> box(Rect r) {
        return Map.of("x", r.x(), "y", r.y(), "width", r.width(), "height", r.height());
    }

    private static int imageHeight(Path file) throws Exception {
        return Png.decode(Files.readAllBytes(file)).getHeight();
    }

    private static List<Path> pngs(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.filter(p -> p.toString().endsWith(".png")).sorted().toList());
        }
    }
}
