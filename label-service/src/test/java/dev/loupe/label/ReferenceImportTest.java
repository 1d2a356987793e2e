package dev.loupe.label;

import dev.loupe.common.util.Digests;
import dev.loupe.label.blob.BlobKeys;
import dev.loupe.label.blob.S3BlobStore;
import dev.loupe.label.config.LabelConfig;
import dev.loupe.synthetic.Sample;
import dev.loupe.testing.S3ProxyTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports by reference against a real S3-compatible server (s3proxy): images under a bucket prefix or listed by a
 * manifest are checked and imported where they are, served through the same REST, and refused once they change.
 */
@QuarkusTest
@TestProfile(ReferenceImportTest.ImportBuckets.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferenceImportTest {

    static final String IMAGES = "loupe-ref-images";
    static final String SOURCE = "loupe-ref-source";
    static final String PRIVATE = "loupe-ref-private";
    static final int MAX_IMAGE_BYTES = 100_000;

    /** New images go to a bucket; imports may read {@link #SOURCE} (not {@link #PRIVATE}) of the same s3proxy. */
    public static class ImportBuckets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            for (String prefix : List.of("loupe.label.blobs.s3.", "loupe.label.imports.s3.")) {
                config.put(prefix + "endpoint", "${" + S3ProxyTestResource.ENDPOINT + "}");
                config.put(prefix + "access-key", "${" + S3ProxyTestResource.ACCESS_KEY + "}");
                config.put(prefix + "secret-key", "${" + S3ProxyTestResource.SECRET_KEY + "}");
                config.put(prefix + "timeout", "PT5S");
            }
            config.put("loupe.label.blobs.store", "s3");
            config.put("loupe.label.blobs.s3.bucket", IMAGES);
            config.put("loupe.label.imports.s3.buckets", SOURCE);
            config.put("loupe.label.max-image-bytes", String.valueOf(MAX_IMAGE_BYTES));
            return config;
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

    static S3Client s3;
    static List<Sample> byPrefix;

    @BeforeEach
    void buckets() {
        if (s3 == null) {
            // the test's own client, with the settings the service reads
            s3 = S3BlobStore.client(config.imports().s3());
            s3.createBucket(b -> b.bucket(SOURCE));
            s3.createBucket(b -> b.bucket(PRIVATE));
        }
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @Test
    @Order(1)
    void aPrefixImportsInPlaceWithLabelsSplitsAndPerFileFailuresAndServesTheSameBytes() {
        String project = LabelApi.createProject();
        byPrefix = LabelApi.samples(1, 5101);
        byPrefix.forEach(s -> put(SOURCE, "sets/roman/" + s.path(), s.png()));
        put(SOURCE, "sets/roman/train/iii/notes.txt", "not an image".getBytes());
        put(SOURCE, "sets/roman/train/xi/eleven.png", byPrefix.getFirst().png());
        byte[] big = new byte[MAX_IMAGE_BYTES + 1];
        new Random(1).nextBytes(big);
        put(SOURCE, "sets/roman/train/ii/big.png", big);
        put(SOURCE, "sets/roman/train/.DS_Store", new byte[]{0});
        put(SOURCE, "sets/romanesque/train/i/outside.png", byPrefix.getFirst().png()); // shares the prefix's letters

        // no trailing slash: the prefix is taken as a folder, so sets/romanesque/ is not part of it
        JsonPath job = ImportTest.awaitImport(importJson(project, Map.of("source", "s3://" + SOURCE + "/sets/roman")));
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals("s3://" + SOURCE + "/sets/roman/", job.getString("source"));
        assertEquals(byPrefix.size(), job.getInt("imported"), job.prettify());
        Map<String, String> failed = failures(job);
        assertEquals(Set.of("train/iii/notes.txt", "train/xi/eleven.png", "train/ii/big.png"), failed.keySet(), failed.toString());
        assertTrue(failed.get("train/iii/notes.txt").contains("not an image"), failed.toString());
        assertTrue(failed.get("train/xi/eleven.png").contains("unknown class 'xi'"), failed.toString());
        assertTrue(failed.get("train/ii/big.png").contains("larger than the limit of " + MAX_IMAGE_BYTES), failed.toString());

        JsonPath items = given().queryParam("size", 100).get("/api/projects/{id}/items", project)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(byPrefix.size(), items.getInt("total"));
        Map<String, Sample> byPath = byPrefix.stream().collect(Collectors.toMap(Sample::path, s -> s));
        for (Map<String, Object> item : items.<Map<String, Object>>getList("items")) {
            Sample sample = byPath.get((String) item.get("originalPath"));
            assertEquals(sample.givenLabel(), item.get("label"), item.toString());
            assertEquals(sample.split(), item.get("originalSplit"), item.toString());
            assertEquals(Digests.sha256(sample.png()), item.get("sha256"));
        }

        // the rows name the objects; nothing was copied into the images bucket
        for (Sample sample : byPrefix) {
            Object[] row = (Object[]) em.createNativeQuery("SELECT store, source_uri, bytes FROM blob WHERE sha256 = ?1")
                    .setParameter(1, Digests.sha256(sample.png())).getSingleResult();
            assertEquals("reference", row[0]);
            assertEquals("s3://" + SOURCE + "/sets/roman/" + sample.path(), row[1]);
            assertEquals(null, row[2]);
        }
        assertEquals(Set.of(), imageKeys());

        Sample first = byPrefix.getFirst();
        String sha = Digests.sha256(first.png());
        assertArrayEquals(first.png(), given().get("/api/blobs/{sha}", sha).then().statusCode(200)
                .contentType("image/png").header("ETag", "\"" + sha + "\"").extract().asByteArray());
        String item = items.getString("items.find { it.sha256 == '" + sha + "' }.id");
        given().queryParam("size", 16).get("/api/items/{id}/image", item).then().statusCode(200).contentType("image/png");

        // importing again skips what is there
        JsonPath again = ImportTest.awaitImport(importJson(project, Map.of("source", "s3://" + SOURCE + "/sets/roman/")));
        assertEquals(0, again.getInt("imported"), again.prettify());
        assertEquals(byPrefix.size(), again.getInt("skipped"));
    }

    @Test
    @Order(2)
    void aSourceObjectChangedOrGoneAfterTheImportIsRefusedNeverServed() {
        Sample replaced = byPrefix.get(1);
        Sample tampered = byPrefix.get(2);
        Sample deleted = byPrefix.get(3);
        String replacedKey = "sets/roman/" + replaced.path();

        put(SOURCE, replacedKey, byPrefix.get(4).png());
        given().get("/api/blobs/{sha}", Digests.sha256(replaced.png())).then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("s3://" + SOURCE + "/" + replacedKey))
                .body("detail", containsString("changed"));

        byte[] sameLength = tampered.png().clone();
        sameLength[sameLength.length / 2] ^= 0x01;
        put(SOURCE, "sets/roman/" + tampered.path(), sameLength);
        given().get("/api/blobs/{sha}", Digests.sha256(tampered.png())).then().statusCode(409)
                .body("detail", containsString("another sha256"));

        s3.deleteObject(d -> d.bucket(SOURCE).key("sets/roman/" + deleted.path()));
        given().get("/api/blobs/{sha}", Digests.sha256(deleted.png())).then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no longer exists"));

        // each read checks the object: put back, the image is served again
        put(SOURCE, replacedKey, replaced.png());
        assertArrayEquals(replaced.png(), given().get("/api/blobs/{sha}", Digests.sha256(replaced.png()))
                .then().statusCode(200).extract().asByteArray());
    }

    @Test
    @Order(3)
    void aManifestImportsItsRowsAndReportsEachBadRowByLine() {
        String project = LabelApi.createProject();
        List<Sample> samples = LabelApi.samples(1, 5102);
        samples.forEach(s -> put(SOURCE, "flat/" + s.fileName(), s.png()));
        put(SOURCE, "flat/x1.png", LabelApi.png("i", 5104));
        put(SOURCE, "flat/x2.png", LabelApi.png("ii", 5104));
        put(PRIVATE, "secret.png", samples.getFirst().png());
        StringBuilder csv = new StringBuilder("uri,label,split\r\n");
        for (Sample s : samples) {
            csv.append("s3://").append(SOURCE).append("/flat/").append(s.fileName()).append(',')
                    .append(s.givenLabel().toUpperCase()).append(',').append(s.split()).append("\r\n");
        }
        String firstUri = "s3://" + SOURCE + "/flat/" + samples.getFirst().fileName();
        csv.append("s3://").append(PRIVATE).append("/secret.png,i,train\r\n")          // line 12
                .append("s3://").append(SOURCE).append("/flat/missing.png,ii,\r\n")    // line 13
                .append("s3://").append(SOURCE).append("/flat/x1.png,xi,train\r\n")
                .append("s3://").append(SOURCE).append("/flat/x2.png,ii,dev\r\n")
                .append("https://example.com/a.png,iv,train\r\n")                      // line 16
                .append(firstUri).append(",i,val\r\n")                                 // line 17
                .append("\"").append(firstUri).append("\",i\r\n");                     // line 18: too few fields
        put(SOURCE, "manifests/roman.csv", csv.toString().getBytes());

        JsonPath job = ImportTest.awaitImport(importJson(project, Map.of("manifest", "s3://" + SOURCE + "/manifests/roman.csv")));
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals(samples.size(), job.getInt("imported"), job.prettify());
        Map<String, String> failed = failures(job);
        assertEquals(7, failed.size(), failed.toString());
        assertTrue(failed.get("s3://" + PRIVATE + "/secret.png").startsWith("line 12: bucket '" + PRIVATE + "' is not one"), failed.toString());
        assertTrue(failed.get("s3://" + SOURCE + "/flat/missing.png").startsWith("line 13: no such object"), failed.toString());
        assertTrue(failed.get("s3://" + SOURCE + "/flat/x1.png").startsWith("line 14: unknown class 'xi'"), failed.toString());
        assertTrue(failed.get("s3://" + SOURCE + "/flat/x2.png").startsWith("line 15: unknown split 'dev'"), failed.toString());
        assertTrue(failed.get("line 16").contains("not the s3:// URI of an object"), failed.toString());
        assertTrue(failed.get("line 17 " + firstUri).contains("the same object as line 2"), failed.toString());
        assertTrue(failed.get("line 18").contains("has 2 fields"), failed.toString());

        JsonPath items = given().queryParam("size", 100).get("/api/projects/{id}/items", project)
                .then().statusCode(200).extract().jsonPath();
        for (Sample s : samples) {
            String uri = "s3://" + SOURCE + "/flat/" + s.fileName();
            assertEquals(s.givenLabel(), items.getString("items.find { it.originalPath == '" + uri + "' }.label"), uri);
            assertEquals(s.split(), items.getString("items.find { it.originalPath == '" + uri + "' }.originalSplit"), uri);
        }
        assertEquals("reference", em.createNativeQuery("SELECT store FROM blob WHERE sha256 = ?1")
                .setParameter(1, Digests.sha256(samples.getFirst().png())).getSingleResult());

        // a manifest that cannot be read or has a wrong header is refused whole, before any job exists
        put(SOURCE, "manifests/bad-header.csv", "path,class\ns3://x/y.png,i\n".getBytes());
        put(SOURCE, "manifests/empty.csv", "uri,label\n".getBytes());
        for (String manifest : List.of("manifests/nothing-here.csv", "manifests/bad-header.csv", "manifests/empty.csv")) {
            given().contentType(ContentType.JSON).body(Map.of("manifest", "s3://" + SOURCE + "/" + manifest))
                    .post("/api/projects/{id}/imports", project)
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("manifest"));
        }
        given().get("/api/projects/{id}/imports", project).then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    @Order(4)
    void bucketsNotAllowedBadSourcesAndCredentialsInTheRequestAreRefused() {
        String project = LabelApi.createProject();
        refused(project, Map.of("source", "s3://" + PRIVATE + "/"), "source", "allowed: [" + SOURCE + "]");
        refused(project, Map.of("manifest", "s3://" + PRIVATE + "/m.csv"), "manifest", "allowed: [" + SOURCE + "]");
        refused(project, Map.of("source", "https://" + SOURCE + ".s3.amazonaws.com/sets/"), "source", "s3:// URI");
        refused(project, Map.of("source", "s3://" + SOURCE + "/no/such/prefix/"), "source", "no objects under");
        refused(project, Map.of("source", "s3://" + SOURCE + "/sets/", "folder", "/tmp"), "folder", "exactly one");
        refused(project, Map.of(), "folder", "one of folder, source or manifest");
        // credentials never come from a request: a body carrying any is refused, not quietly half-used
        refused(project, Map.of("source", "s3://" + PRIVATE + "/", "accessKey", "loupe-test",
                "secretKey", "loupe-test-secret"), "accessKey", "never from a request");
        given().get("/api/projects/{id}/imports", project).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    @Order(5)
    void withCopyImagesTheImagesAreCopiedIntoTheStore() {
        String project = LabelApi.createProject();
        given().get("/api/projects/{id}", project).then().statusCode(200).body("copyImages", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("copyImages", true, "name", "renamed"))
                .patch("/api/projects/{id}", project).then().statusCode(422).body("errors[0].field", equalTo("name"));
        given().contentType(ContentType.JSON).body(Map.of("copyImages", true))
                .patch("/api/projects/{id}", project).then().statusCode(200).body("copyImages", equalTo(true));
        given().get("/api/projects/{id}", project).then().statusCode(200).body("copyImages", equalTo(true));

        List<Sample> samples = LabelApi.samples(1, 5103);
        samples.forEach(s -> put(SOURCE, "copied/" + s.path(), s.png()));
        JsonPath job = ImportTest.awaitImport(importJson(project, Map.of("source", "s3://" + SOURCE + "/copied/")));
        assertEquals(samples.size(), job.getInt("imported"), job.prettify());

        Set<String> shas = samples.stream().map(s -> Digests.sha256(s.png())).collect(Collectors.toCollection(TreeSet::new));
        @SuppressWarnings("unchecked")
        List<String> stores = em.createNativeQuery("SELECT DISTINCT store FROM blob WHERE sha256 IN (?1)")
                .setParameter(1, shas).getResultList();
        assertEquals(List.of("s3"), stores);
        assertTrue(imageKeys().containsAll(shas.stream().map(BlobKeys::key).toList()), imageKeys().toString());
        // the copy is independent of the source
        samples.forEach(s -> s3.deleteObject(d -> d.bucket(SOURCE).key("copied/" + s.path())));
        Sample first = samples.getFirst();
        assertArrayEquals(first.png(), given().get("/api/blobs/{sha}", Digests.sha256(first.png()))
                .then().statusCode(200).extract().asByteArray());
    }

    @Test
    @Order(6)
    void anImageKnownByReferenceIsTakenOverWhenItsBytesArriveAnotherWay() {
        String byReference = LabelApi.createProject();
        Sample sample = LabelApi.samples(1, 6107).getFirst();
        String sha = Digests.sha256(sample.png());
        put(SOURCE, "shared/" + sample.path(), sample.png());
        JsonPath job = ImportTest.awaitImport(importJson(byReference, Map.of("source", "s3://" + SOURCE + "/shared/")));
        assertEquals(1, job.getInt("imported"), job.prettify());
        assertEquals("reference", em.createNativeQuery("SELECT store FROM blob WHERE sha256 = ?1")
                .setParameter(1, sha).getSingleResult());

        // another project uploads the same image: the store now holds it, no longer the source bucket
        String uploader = LabelApi.createProject();
        given().multiPart("image", "same.png", sample.png(), "image/png").multiPart("label", sample.givenLabel())
                .post("/api/projects/{id}/items", uploader).then().statusCode(201);
        Object[] row = (Object[]) em.createNativeQuery("SELECT store, source_uri FROM blob WHERE sha256 = ?1")
                .setParameter(1, sha).getSingleResult();
        assertEquals("s3", row[0]);
        assertEquals(null, row[1]);
        assertTrue(imageKeys().contains(BlobKeys.key(sha)));
        // so the first project's item survives its source object
        s3.deleteObject(d -> d.bucket(SOURCE).key("shared/" + sample.path()));
        assertArrayEquals(sample.png(), given().get("/api/blobs/{sha}", sha).then().statusCode(200).extract().asByteArray());
    }

    private static void put(String bucket, String key, byte[] bytes) {
        s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    private static Set<String> imageKeys() {
        return s3.listObjectsV2Paginator(l -> l.bucket(IMAGES).prefix(BlobKeys.PREFIX)).contents().stream()
                .map(S3Object::key).filter(key -> !key.endsWith("/"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String importJson(String project, Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/projects/{id}/imports", project)
                .then().statusCode(202).body("status", equalTo("RUNNING")).extract().path("importId");
    }

    private static void refused(String project, Map<String, ?> body, String field, String message) {
        given().contentType(ContentType.JSON).body(new LinkedHashMap<>(body)).post("/api/projects/{id}/imports", project)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
    }

    private static Map<String, String> failures(JsonPath job) {
        Map<String, String> failed = new TreeMap<>();
        job.getList("failed", Map.class).forEach(f -> failed.put((String) f.get("path"), (String) f.get("reason")));
        return failed;
    }
}
