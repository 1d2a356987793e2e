package dev.loupe.label;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ImageResourceTest {

    @Test
    void blobsAreServedByHashWithAStrongEtagAndLongCaching() {
        String project = LabelApi.createProject();
        byte[] png = LabelApi.png("viii", 8);
        String sha = LabelApi.addItem(project, "viii", png).getString("sha256");
        assertEquals(dev.loupe.common.util.Digests.sha256(png), sha);

        byte[] served = given().get("/api/blobs/{sha}", sha).then().statusCode(200)
                .contentType("image/png")
                .header("ETag", "\"" + sha + "\"")
                .header("Cache-Control", containsString("immutable"))
                .extract().asByteArray();
        assertArrayEquals(png, served);
        given().header("If-None-Match", "\"" + sha + "\"").get("/api/blobs/{sha}", sha).then().statusCode(304);
        given().get("/api/blobs/{sha}", "0".repeat(64)).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/blobs/{sha}", "../../etc/passwd").then().statusCode(404);
    }

    @Test
    void migratingToABucketThisDeploymentHasNotConfiguredIsRefusedNamingTo() {
        given().contentType("application/json").body(java.util.Map.of("to", "s3")).post("/api/blob-migrations")
                .then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("to"))
                .body("detail", containsString("LOUPE_BLOBS_S3_ENABLED"));
        // the page's ?redirect=true on an image in the database: the bytes, as without it
        String project = LabelApi.createProject();
        byte[] png = LabelApi.png("vi", 6);
        String item = LabelApi.addItem(project, "vi", png).getString("id");
        assertArrayEquals(png, given().redirects().follow(false).queryParam("redirect", "true")
                .get("/api/items/{id}/image", item).then().statusCode(200).extract().asByteArray());
    }

    @Test
    void thumbnailsFitTheRequestedSizeAndKeepTheAspectRatio() throws IOException {
        String project = LabelApi.createProject();
        byte[] png = LabelApi.png("ix", 12);
        var item = LabelApi.addItem(project, "ix", png);
        int width = item.getInt("width");
        int height = item.getInt("height");

        byte[] thumb = given().queryParam("size", 64).get("/api/items/{id}/image", item.getString("id"))
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumb));
        assertEquals(64, Math.max(image.getWidth(), image.getHeight()));
        double expected = (double) width / height;
        assertTrue(Math.abs((double) image.getWidth() / image.getHeight() - expected) < 0.05 * expected + 0.02);
        // ink survives the downscale: a thumbnail of a numeral is not blank
        int dark = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                dark += image.getRaster().getSample(x, y, 0) < 128 ? 1 : 0;
            }
        }
        assertTrue(dark > 10, "dark pixels: " + dark);

        byte[] original = given().get("/api/items/{id}/image", item.getString("id")).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(png, original);
        given().queryParam("size", 0).get("/api/items/{id}/image", item.getString("id"))
                .then().statusCode(422).body("errors[0].field", equalTo("size"));
        given().queryParam("size", "big").get("/api/items/{id}/image", item.getString("id"))
                .then().statusCode(422).body("errors[0].field", equalTo("size"));
    }
}
