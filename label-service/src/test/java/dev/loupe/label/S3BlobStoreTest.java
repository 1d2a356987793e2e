package dev.loupe.label;

import dev.loupe.label.blob.BlobKeys;
import dev.loupe.label.blob.S3BlobStore;
import dev.loupe.label.config.LabelConfig;
import dev.loupe.synthetic.Sample;
import dev.loupe.testing.InjectS3Proxy;
import dev.loupe.testing.S3ProxyServer;
import dev.loupe.testing.S3ProxyTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Images in a real S3-compatible bucket (s3proxy), served through the same REST as from the database. */
@QuarkusTest
@TestProfile(S3BlobStoreTest.S3Store.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3BlobStoreTest {

    static final String BUCKET = "loupe-test-images";

    /** The label service with store=s3 against the s3proxy of {@link S3ProxyTestResource}. */
    public static class S3Store implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "loupe.label.blobs.store", "s3",
                    "loupe.label.blobs.s3.endpoint", "${" + S3ProxyTestResource.ENDPOINT + "}",
                    "loupe.label.blobs.s3.access-key", "${" + S3ProxyTestResource.ACCESS_KEY + "}",
                    "loupe.label.blobs.s3.secret-key", "${" + S3ProxyTestResource.SECRET_KEY + "}",
                    "loupe.label.blobs.s3.bucket", BUCKET,
                    "loupe.label.blobs.s3.timeout", "PT5S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyTestResource.class));
        }
    }

    @InjectS3Proxy
    S3ProxyServer s3proxy;

    @Inject
    LabelConfig config;

    @Inject
    EntityManager em;

    static String sha;
    static byte[] png;

    @Test
    @Order(1)
    void importedImagesGoToTheBucketOnceEachAndAreServedUnchanged() {
        String project = LabelApi.createProject();
        List<Sample> samples = LabelApi.samples(1, 31);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        samples.forEach(s -> entries.put(s.path(), s.png()));
        Sample first = samples.getFirst();
        entries.put(first.path().replace(".png", "-again.png"), first.png()); // the same image twice
        JsonPath job = ImportTest.awaitImport(ImportTest.upload(project, Zips.of(entries), "s3.zip"));
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals(samples.size() + 1, job.getInt("imported"));

        Set<String> shas = new TreeSet<>(given().queryParam("size", 100).get("/api/projects/{id}/items", project)
                .then().statusCode(200).extract().jsonPath().getList("items.sha256", String.class));
        assertEquals(samples.size(), shas.size(), "the duplicate shares its image");

        try (S3Client s3 = S3BlobStore.client(config.blobs().s3())) {
            Set<String> keys = s3.listObjectsV2Paginator(l -> l.bucket(BUCKET).prefix(BlobKeys.PREFIX)).contents()
                    .stream().map(S3Object::key)
                    .filter(key -> !key.endsWith("/")) // s3proxy's filesystem backend lists its folders too
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(shas.stream().map(BlobKeys::key).collect(Collectors.toCollection(TreeSet::new)), keys,
                    "one object per distinct image, under its content-addressed key");
            HeadObjectResponse head = s3.headObject(h -> h.bucket(BUCKET).key(BlobKeys.key(shas.iterator().next())));
            assertEquals("image/png", head.contentType());
        }

        // the database keeps each image's row (items reference it) but not its bytes
        Number withBytes = (Number) em.createNativeQuery("SELECT count(*) FROM blob WHERE sha256 IN (?1) AND bytes IS NOT NULL")
                .setParameter(1, shas).getSingleResult();
        Number rows = (Number) em.createNativeQuery("SELECT count(*) FROM blob WHERE sha256 IN (?1)")
                .setParameter(1, shas).getSingleResult();
        assertEquals(0, withBytes.intValue());
        assertEquals(shas.size(), rows.intValue());

        sha = dev.loupe.common.util.Digests.sha256(first.png());
        png = first.png();
        byte[] served = given().get("/api/blobs/{sha}", sha).then().statusCode(200)
                .contentType("image/png")
                .header("ETag", "\"" + sha + "\"")
                .header("Content-Length", String.valueOf(png.length))
                .extract().asByteArray();
        assertArrayEquals(png, served);
        given().header("If-None-Match", "\"" + sha + "\"").get("/api/blobs/{sha}", sha).then().statusCode(304);
        // presigned redirects are off unless configured: a page's ?redirect=true gets the bytes
        assertArrayEquals(png, given().redirects().follow(false).queryParam("redirect", "true")
                .get("/api/blobs/{sha}", sha).then().statusCode(200).extract().asByteArray());
        given().get("/api/blobs/{sha}", "0".repeat(64)).then().statusCode(404).contentType("application/problem+json");
        String item = given().queryParam("size", 100).get("/api/projects/{id}/items", project).then().extract()
                .jsonPath().getString("items.find { it.sha256 == '" + sha + "' }.id");
        given().queryParam("size", 16).get("/api/items/{id}/image", item).then().statusCode(200).contentType("image/png");
    }

    @Test
    @Order(2)
    void imagesStayReadableFromTheStoreTheirRowNames() {
        // an image the database holds (as every image did before this deployment chose s3) is served from there
        byte[] old = LabelApi.png("iv", 777);
        String oldSha = dev.loupe.common.util.Digests.sha256(old);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO blob (sha256, content_type, size, width, height, bytes, created_at, store)
                        VALUES (?1, 'image/png', ?2, 32, 32, ?3, now(), 'postgres')""")
                .setParameter(1, oldSha).setParameter(2, old.length).setParameter(3, old).executeUpdate());
        assertArrayEquals(old, given().get("/api/blobs/{sha}", oldSha).then().statusCode(200)
                .contentType("image/png").extract().asByteArray());
        // the row says where the bytes are: a database row without bytes, or bytes outside the database, is refused
        assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE blob SET bytes = NULL WHERE sha256 = ?1").setParameter(1, oldSha).executeUpdate()));
        assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE blob SET bytes = ?2 WHERE sha256 = ?1").setParameter(1, sha).setParameter(2, png).executeUpdate()));
        Number inBucket = (Number) em.createNativeQuery("SELECT count(*) FROM blob WHERE sha256 = ?1 AND store = 's3'")
                .setParameter(1, sha).getSingleResult();
        assertEquals(1, inBucket.intValue(), "images imported with store=s3 are recorded as in the bucket");
    }

    @Test
    @Order(3)
    void withTheStoreAwayReadsAndUploadsAnswer503AndChangeNothing() {
        String project = LabelApi.createProject();
        s3proxy.kill();

        given().get("/api/blobs/{sha}", sha).then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("image store"));
        byte[] fresh = LabelApi.png("vii", 4242);
        given().multiPart("image", "fresh.png", fresh, "image/png").multiPart("label", "vii")
                .post("/api/projects/{id}/items", project)
                .then().statusCode(503).contentType("application/problem+json");
        given().get("/api/projects/{id}/items", project).then().statusCode(200).body("total", equalTo(0));
    }
}
