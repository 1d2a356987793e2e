package dev.loupe.label;

import dev.loupe.common.util.Digests;
import dev.loupe.label.blob.BlobKeys;
import dev.loupe.label.blob.S3BlobStore;
import dev.loupe.label.config.LabelConfig;
import dev.loupe.synthetic.Sample;
import dev.loupe.testing.S3ProxyTestResource;
import dev.loupe.testing.TestAuth;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Moving images between the database and a real S3-compatible bucket (s3proxy) while readers read them, and
 * presigned redirects to the bucket.
 */
@QuarkusTest
@TestProfile(BlobMigrationTest.BothStores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlobMigrationTest {

    static final String BUCKET = "loupe-migration-images";

    /** New images go to the database; the bucket is on besides it, and reads may redirect to presigned URLs. */
    public static class BothStores implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "loupe.label.blobs.store", "postgres",
                    "loupe.label.blobs.s3.enabled", "true",
                    "loupe.label.blobs.s3.endpoint", "${" + S3ProxyTestResource.ENDPOINT + "}",
                    "loupe.label.blobs.s3.access-key", "${" + S3ProxyTestResource.ACCESS_KEY + "}",
                    "loupe.label.blobs.s3.secret-key", "${" + S3ProxyTestResource.SECRET_KEY + "}",
                    "loupe.label.blobs.s3.bucket", BUCKET,
                    "loupe.label.blobs.s3.presign", "true",
                    "loupe.label.blobs.s3.presign-ttl", "PT2M");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyTestResource.class));
        }
    }

    @Inject
    LabelConfig config;

    @Inject
    EntityManager em;

    static String project;
    static String otherProject;
    static final Map<String, byte[]> IMAGES = new LinkedHashMap<>();

    @Test
    @Order(1)
    void migratingToTheBucketKeepsEveryImageReadableAndEmptiesTheDatabase() throws Exception {
        project = LabelApi.createProject();
        importSamples(project, LabelApi.samples(6, 71));
        // another project shows one of the images: it moves with the project (one copy per image)
        otherProject = LabelApi.createProject();
        LabelApi.addItem(otherProject, "i", IMAGES.values().iterator().next());
        assertEquals(IMAGES.size(), count("store = 'postgres' AND bytes IS NOT NULL"));

        JsonPath job = whileReading("s3");

        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals(IMAGES.size(), job.getInt("total"));
        assertEquals(IMAGES.size(), job.getInt("moved"));
        assertEquals(0, job.getInt("skipped"));
        assertEquals(0, job.getInt("failed"));
        assertEquals(1, job.getInt("shared"));
        assertEquals(IMAGES.size(), count("store = 's3' AND bytes IS NULL"));
        try (S3Client s3 = S3BlobStore.client(config.blobs().s3())) {
            for (Map.Entry<String, byte[]> image : IMAGES.entrySet()) {
                assertArrayEquals(image.getValue(), s3.getObjectAsBytes(g -> g.bucket(BUCKET)
                        .key(BlobKeys.key(image.getKey()))).asByteArray());
            }
        }
    }

    @Test
    @Order(2)
    void migratingAgainSkipsWhatMovedAndMovesTheRest() {
        JsonPath again = await(start("s3", project));
        assertEquals("COMPLETED", again.getString("status"), again.prettify());
        assertEquals(IMAGES.size(), again.getInt("skipped"));
        assertEquals(0, again.getInt("moved"));

        // images imported after the migration went to the database (store=postgres): the next run moves only those
        int before = IMAGES.size();
        importSamples(project, LabelApi.samples(1, 72));
        JsonPath rest = await(start("s3", project));
        assertEquals("COMPLETED", rest.getString("status"), rest.prettify());
        assertEquals(before, rest.getInt("skipped"));
        assertEquals(IMAGES.size() - before, rest.getInt("moved"));
        assertEquals(IMAGES.size(), count("store = 's3' AND bytes IS NULL"));
    }

    @Test
    @Order(3)
    void aPresignedRedirectIsAnsweredOnlyWhenAsked() throws Exception {
        Map.Entry<String, byte[]> image = IMAGES.entrySet().iterator().next();
        String sha = image.getKey();
        // REST clients (the other services) keep getting the bytes
        assertArrayEquals(image.getValue(), given().get("/api/blobs/{sha}", sha).then().statusCode(200)
                .extract().asByteArray());
        Response redirect = given().redirects().follow(false).queryParam("redirect", "true").get("/api/blobs/{sha}", sha);
        redirect.then().statusCode(307).header("Cache-Control", "private, max-age=60");
        URI link = URI.create(redirect.getHeader("Location"));
        assertTrue(link.getQuery().contains("X-Amz-Signature"), link.toString());
        try (HttpClient plain = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> object = plain.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, object.statusCode());
            assertArrayEquals(image.getValue(), object.body());
        }
        // the page's <img> URLs: the item's image redirects, its thumbnails are made by the service
        String item = given().queryParam("size", 100).get("/api/projects/{id}/items", project).then().extract()
                .jsonPath().getString("items.find { it.sha256 == '" + sha + "' }.id");
        given().redirects().follow(false).queryParam("redirect", "true").get("/api/items/{id}/image", item)
                .then().statusCode(307).header("Location", containsString(BlobKeys.key(sha)));
        given().queryParam("size", 32).get("/api/items/{id}/image", item).then().statusCode(200).contentType("image/png");
        // access is checked before any redirect
        String outsider = "outsider-" + UUID.randomUUID().toString().substring(0, 8);
        TestAuth.createUser(url(), outsider, "outsider-password");
        given().header("Authorization", "Bearer " + TestAuth.token(url(), outsider, "outsider-password", null))
                .redirects().follow(false).queryParam("redirect", "true").get("/api/items/{id}/image", item)
                .then().statusCode(404);
        given().queryParam("redirect", "maybe").get("/api/blobs/{sha}", sha).then().statusCode(400)
                .body("errors.field", hasItem("redirect"));
        // the page may show images from the bucket
        given().get("/").then().header("Content-Security-Policy",
                containsString(config.blobs().s3().endpoint().orElseThrow().getPort() + ""));
    }

    @Test
    @Order(4)
    void migratingBackToTheDatabaseKeepsEveryImageReadableAndDeletesTheObjects() throws Exception {
        JsonPath job = whileReading("postgres");

        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals(IMAGES.size(), job.getInt("moved"));
        assertEquals(IMAGES.size(), count("store = 'postgres' AND bytes IS NOT NULL"));
        for (Map.Entry<String, byte[]> image : IMAGES.entrySet()) {
            byte[] stored = (byte[]) em.createNativeQuery("SELECT bytes FROM blob WHERE sha256 = ?1")
                    .setParameter(1, image.getKey()).getSingleResult();
            assertArrayEquals(image.getValue(), stored);
        }
        try (S3Client s3 = S3BlobStore.client(config.blobs().s3())) {
            for (String sha : IMAGES.keySet()) {
                assertThrows(NoSuchKeyException.class, () -> s3.headObject(h -> h.bucket(BUCKET).key(BlobKeys.key(sha))));
            }
        }
        // in the database, no redirect: the bytes
        String sha = IMAGES.keySet().iterator().next();
        given().redirects().follow(false).queryParam("redirect", "true").get("/api/blobs/{sha}", sha).then().statusCode(200);
    }

    @Test
    @Order(5)
    void bytesThatDoNotMatchTheirSha256AreLeftWhereTheyAre() {
        String corrupt = LabelApi.createProject();
        byte[] png = LabelApi.png("v", 9_001);
        String sha = LabelApi.addItem(corrupt, "v", png).getString("sha256");
        byte[] other = LabelApi.png("v", 9_002);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE blob SET bytes = ?2 WHERE sha256 = ?1")
                .setParameter(1, sha).setParameter(2, other).executeUpdate());

        JsonPath job = await(start("s3", corrupt));

        assertEquals("FAILED", job.getString("status"), job.prettify());
        assertEquals(1, job.getInt("failed"));
        assertEquals(sha, job.getString("failures[0].sha256"));
        assertTrue(job.getString("failures[0].reason").contains("do not match"), job.prettify());
        assertTrue(job.getString("error").contains("1 images could not be moved"), job.prettify());
        assertEquals("postgres", em.createNativeQuery("SELECT store FROM blob WHERE sha256 = ?1").setParameter(1, sha)
                .getSingleResult());
    }

    @Test
    @Order(6)
    void onlyALoupeAdministratorMigratesAndBadRequestsNameTheField() {
        String curator = "curator-" + UUID.randomUUID().toString().substring(0, 8);
        TestAuth.createUser(url(), curator, "curator-password");
        TestAuth.setMembers(url(), project, Map.of(curator, "curator"));
        String token = TestAuth.token(url(), curator, "curator-password", null);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("to", "s3", "projectId", project)).post("/api/blob-migrations")
                .then().statusCode(403).contentType("application/problem+json");

        invalid(Map.of("projectId", project), 422, "to");
        invalid(Map.of("to", "gcs"), 422, "to");
        invalid(Map.of("to", "s3", "projectId", UUID.randomUUID().toString()), 422, "projectId");
        given().get("/api/blob-migrations/{id}", UUID.randomUUID()).then().statusCode(404);
    }

    private static void invalid(Map<String, Object> body, int status, String field) {
        given().contentType(ContentType.JSON).body(body).post("/api/blob-migrations").then().statusCode(status)
                .contentType("application/problem+json").body("errors[0].field", equalTo(field));
    }

    private static String url() {
        return "http://localhost:" + RestAssured.port;
    }

    private static void importSamples(String projectId, List<Sample> samples) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        samples.forEach(s -> entries.put(s.path(), s.png()));
        JsonPath imported = ImportTest.awaitImport(ImportTest.upload(projectId, Zips.of(entries), "migrate.zip"));
        assertEquals("COMPLETED", imported.getString("status"), imported.prettify());
        samples.forEach(s -> IMAGES.put(Digests.sha256(s.png()), s.png()));
    }

    private int count(String where) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM blob WHERE sha256 IN (?1) AND " + where)
                .setParameter(1, IMAGES.keySet()).getSingleResult()).intValue();
    }

    private static String start(String to, String projectId) {
        return given().contentType(ContentType.JSON).body(Map.of("to", to, "projectId", projectId))
                .post("/api/blob-migrations").then().statusCode(202)
                .header("Location", containsString("/api/blob-migrations/"))
                .body("status", equalTo("RUNNING"))
                .extract().path("migrationId");
    }

    private static JsonPath await(String migrationId) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            JsonPath job = given().get("/api/blob-migrations/{id}", migrationId).then().statusCode(200).extract().jsonPath();
            if (!job.getString("status").equals("RUNNING") || Instant.now().isAfter(deadline)) {
                return job;
            }
            sleep(100);
        }
    }

    /**
     * Migrates the project while two reader threads read each of its images over and over (one in the order the
     * migration moves them, one backwards), as clients of /api/blobs do; fails on any answer but 200 with the image's
     * bytes, and unless reads overlapped the running job.
     */
    private static JsonPath whileReading(String to) throws InterruptedException {
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        List<Map.Entry<String, byte[]>> forwards = IMAGES.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
        List<Thread> readers = new ArrayList<>();
        for (List<Map.Entry<String, byte[]>> order : List.of(forwards, forwards.reversed())) {
            readers.add(Thread.ofPlatform().name("blob-reader").start(() -> {
                while (reading.get()) {
                    for (Map.Entry<String, byte[]> image : order) {
                        Response response = given().get("/api/blobs/{sha}", image.getKey());
                        reads.incrementAndGet();
                        if (response.statusCode() != 200) {
                            errors.add(image.getKey() + ": " + response.statusCode() + " " + response.asString());
                        } else if (!java.util.Arrays.equals(image.getValue(), response.asByteArray())) {
                            errors.add(image.getKey() + ": other bytes");
                        }
                    }
                }
            }));
        }
        sleep(200);
        JsonPath job;
        int during;
        try {
            String migrationId = start(to, project);
            int atStart = reads.get();
            job = await(migrationId);
            during = reads.get() - atStart;
        } finally {
            reading.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        assertTrue(errors.isEmpty(), errors.size() + " failed reads of " + reads + ": " + errors.stream().limit(5).toList());
        assertTrue(during >= 10, "readers read while the migration ran: " + during + " reads");
        return job;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
