package dev.loupe.label.blob;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.config.LabelConfig;
import dev.loupe.label.config.S3Connection;
import dev.loupe.label.image.ImageInfo;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Image bytes in an S3-compatible bucket (AWS S3, MinIO, Ceph, GCS through its S3 API), under content-addressed keys
 * ({@link BlobKeys}) with the media type as the object's {@code Content-Type}. The {@code label.blob} row keeps the
 * image's metadata with no bytes. Reads stream the object; a store that does not answer makes reads a 503 problem.
 */
public class S3BlobStore implements BlobStore, AutoCloseable {

    public static final String NAME = "s3";

    private static final Logger LOG = Logger.getLogger(S3BlobStore.class);

    private final EntityManager em;
    private final S3Client s3;
    private final LabelConfig.Blobs.S3 config;

    public S3BlobStore(EntityManager em, S3Client s3, LabelConfig.Blobs.S3 config) {
        this.em = em;
        this.s3 = s3;
        this.config = config;
    }

    /** A client for an object store: path-style, credentials from configuration, never from requests. */
    public static S3Client client(S3Connection config) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.timeout())
                        .socketTimeout(config.timeout()))
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .forcePathStyle(config.pathStyle())
                // plain Content-MD5-free uploads and no trailing checksums: what every S3-compatible server accepts
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(config.timeout()));
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    static AwsCredentialsProvider credentials(S3Connection config) {
        if (config.accessKey().isPresent() != config.secretKey().isPresent()) {
            throw new IllegalStateException("set both access-key and secret-key of loupe.label.blobs.s3 "
                    + "(LOUPE_BLOBS_S3_ACCESS_KEY, LOUPE_BLOBS_S3_SECRET_KEY) and of loupe.label.imports.s3 "
                    + "(LOUPE_IMPORTS_S3_ACCESS_KEY, LOUPE_IMPORTS_S3_SECRET_KEY), or neither for the AWS default chain");
        }
        if (config.accessKey().isPresent()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public void prepare() {
        String bucket = config.bucket();
        try {
            s3.headBucket(b -> b.bucket(bucket));
            LOG.infof("Images are stored in bucket %s at %s", bucket, where());
        } catch (S3Exception e) {
            if (e.statusCode() != 404 || !config.createBucket()) {
                throw new IllegalStateException("bucket " + bucket + " at " + where() + " is not usable ("
                        + e.statusCode() + "): " + e.getMessage()
                        + (e.statusCode() == 404 ? "; create it or set loupe.label.blobs.s3.create-bucket=true" : ""), e);
            }
            s3.createBucket(b -> b.bucket(bucket));
            LOG.infof("Created bucket %s at %s for the images", bucket, where());
        } catch (SdkException e) {
            throw new IllegalStateException("the object store at " + where() + " does not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void put(ImageInfo info, byte[] bytes, Instant now) {
        if (!BlobRows.insert(em, info, NAME, null, now)) {
            return; // stored before (or by a transaction that committed while this one waited for the row)
        }
        write(info.sha256(), info.contentType(), bytes);
    }

    /** Writes the object of an image (whose row the caller keeps); a 503 problem when the store does not answer. */
    public void write(String sha256, String contentType, byte[] bytes) {
        call(() -> s3.putObject(p -> p.bucket(config.bucket()).key(BlobKeys.key(sha256))
                .contentType(contentType)
                .contentLength((long) bytes.length)
                .metadata(Map.of("sha256", sha256)), RequestBody.fromBytes(bytes)));
    }

    /** Deletes the object of an image whose row names another store now; a 503 problem when the store does not answer. */
    public void delete(String sha256) {
        call(() -> s3.deleteObject(d -> d.bucket(config.bucket()).key(BlobKeys.key(sha256))));
    }

    @Override
    public StoredBlob open(String sha256) {
        ResponseInputStream<GetObjectResponse> object;
        try {
            object = call(() -> s3.getObject(g -> g.bucket(config.bucket()).key(BlobKeys.key(sha256))));
        } catch (NoSuchKeyException e) {
            throw ProblemException.notFound("blob", sha256);
        }
        GetObjectResponse response = object.response();
        String type = response.contentType() == null ? "application/octet-stream" : response.contentType();
        return StoredBlob.streamed(type, response.contentLength(), object);
    }

    @Override
    public boolean exists(String sha256) {
        try {
            call(() -> s3.headObject(h -> h.bucket(config.bucket()).key(BlobKeys.key(sha256))));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (ProblemException e) {
            if (e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Runs one call; a store that fails or does not answer is a 503 problem (a missing key stays itself). */
    private <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (NoSuchKeyException e) {
            throw e;
        } catch (SdkException e) {
            LOG.warnf("The object store at %s failed: %s", where(), e.getMessage());
            ProblemException problem = new ProblemException(503, "Service unavailable",
                    "the image store (bucket " + config.bucket() + ") does not answer; try again later", List.of());
            problem.initCause(e);
            throw problem;
        }
    }

    private String where() {
        return config.endpoint().map(Object::toString).orElse("AWS S3 " + config.region());
    }

    @Override
    public void close() {
        s3.close();
    }
}
