package dev.loupe.label;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Security headers on every answer, the web page's Content-Security-Policy, and request body limits per endpoint. */
@QuarkusTest
class HttpHardeningTest {

    private static final int MIB = 1 << 20;

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyAnswerForbidsSniffingAndFraming() {
        for (String path : List.of("/api/projects", "/api/projects/not-a-uuid", "/q/health/ready", "/q/openapi", "/", "/ui/app.js")) {
            Response r = given().get(path);
            assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
            assertEquals("DENY", r.header("X-Frame-Options"), path);
            assertTrue(r.header("Content-Security-Policy").contains("frame-ancestors 'none'"), path);
        }
        // an API answer loads nothing
        assertEquals("default-src 'none'; frame-ancestors 'none'",
                given().get("/api/projects").header("Content-Security-Policy"));
    }

    @Test
    void theWebPageMayRunOnlyItsOwnScriptsAndTalkToTheOtherServicesOfItsHost() {
        String csp = given().get("/").then().statusCode(200).extract().header("Content-Security-Policy");
        Map<String, String> directives = directives(csp);
        assertEquals("'self'", directives.get("script-src"), csp);
        assertEquals("'self'", directives.get("style-src"), csp);
        assertEquals("'none'", directives.get("frame-ancestors"), csp);
        assertEquals("'none'", directives.get("object-src"), csp);
        assertEquals("'self'", directives.get("base-uri"), csp);
        // no service URL is configured in tests: the page finds the others on its own host, other ports
        assertEquals("'self' localhost:*", directives.get("connect-src"), csp);
        assertEquals("'self' data: blob: localhost:*", directives.get("img-src"), csp);
        assertFalse(csp.contains("unsafe"), csp);
        assertEquals(csp, given().get("/index.html").header("Content-Security-Policy"));
    }

    /** What the policy forbids must not be in the page: inline scripts, inline event handlers, style attributes. */
    @Test
    void thePageHasNoInlineScriptOrStyle() throws IOException {
        Path resources = Path.of("src/main/resources/META-INF/resources");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(resources)) {
            files = walk.filter(p -> p.toString().endsWith(".html") || p.toString().endsWith(".js")).toList();
        }
        assertTrue(files.size() > 5, "the page's files: " + files);
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        Pattern handler = Pattern.compile("<[a-z][^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
        Pattern styleAttribute = Pattern.compile("(<[a-z][^>]*\\sstyle\\s*=)|(\\bstyle:\\s*[`'\"])|setAttribute\\(\\s*'style'",
                Pattern.CASE_INSENSITIVE);
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertFalse(inlineScript.matcher(text).find(), file + " has an inline <script>");
            if (file.toString().endsWith(".html")) {
                assertFalse(handler.matcher(text).find(), file + " has an inline event handler");
            }
            assertFalse(styleAttribute.matcher(text).find(), file + " sets a style attribute");
            assertFalse(text.contains("eval(") || text.contains("new Function("), file + " evaluates strings");
        }
    }

    @Test
    void aJsonBodyOverOneMibIsRefusedBeforeItIsRead() {
        int before = given().get("/api/projects").jsonPath().getList("$").size();
        String huge = "{\"name\":\"" + "x".repeat(MIB + 10) + "\",\"classes\":[\"a\",\"b\"]}";
        given().contentType(ContentType.JSON).body(huge).post("/api/projects")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("title", equalTo("Payload Too Large"))
                .body("detail", containsString("1 MiB"))
                .body("detail", containsString("POST /api/projects"));
        assertEquals(before, given().get("/api/projects").jsonPath().getList("$").size(), "nothing was created");

        String item = LabelApi.addItem(LabelApi.createProject(), "iv").getString("id");
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Map.of("label", "v", "reason", "y".repeat(2 * MIB)))
                .put("/api/items/{id}/label", item)
                .then().statusCode(413).body("detail", containsString("PUT /api/items/" + item + "/label"));
        assertEquals("iv", LabelApi.item(item).getString("label"), "the label did not change");
        // under the limit the same request goes through
        LabelApi.relabel(item, "v", 1, "ana").then().statusCode(200);
    }

    @Test
    void aStreamedJsonBodyIsCutOffAtTheLimitToo() throws Exception {
        byte[] huge = ("{\"name\":\"" + "x".repeat(3 * MIB) + "\",\"classes\":[\"a\"]}").getBytes(StandardCharsets.UTF_8);
        // an InputStream of unknown length goes out chunked, without Content-Length
        HttpRequest request = HttpRequest.newBuilder(root.toURI().resolve("/api/projects"))
                .header("Content-Type", "application/json")
                // signed in (an anonymous request is answered 401 before its body is read)
                .header("Authorization", "Bearer " + dev.loupe.testing.TestAuth.adminToken("http://localhost:" + io.restassured.RestAssured.port))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
                .build();
        int before = given().get("/api/projects").jsonPath().getList("$").size();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode(), response.body());
        }
        assertEquals(before, given().get("/api/projects").jsonPath().getList("$").size(), "nothing was created");
    }

    @Test
    void anImportLargerThanTheJsonLimitIsAccepted() throws IOException {
        String project = LabelApi.createProject();
        byte[] noise = noisePng(1100, 1100, 7); // incompressible: several MiB
        byte[] zip = Zips.of(Map.of("iv/noise.png", noise, "v/small.png", LabelApi.png("v", 3)));
        assertTrue(zip.length > 3 * MIB, "the archive is well over the 1 MiB JSON limit: " + zip.length);
        String importId = given().multiPart("file", "big.zip", zip, "application/zip")
                .post("/api/projects/{id}/imports", project)
                .then().statusCode(202).extract().path("importId");
        assertTrue(importId != null && !importId.isBlank());
        // one image upload may be larger than a JSON body as well
        given().multiPart("image", "noise.png", noise, "image/png").multiPart("label", "iv")
                .post("/api/projects/{id}/items", project)
                .then().statusCode(201);
    }

    private static byte[] noisePng(int width, int height, long seed) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static Map<String, String> directives(String csp) {
        return Arrays.stream(csp.split(";")).map(String::strip).filter(d -> !d.isEmpty())
                .collect(java.util.stream.Collectors.toMap(d -> d.split(" ", 2)[0], d -> d.split(" ", 2)[1]));
    }
}
