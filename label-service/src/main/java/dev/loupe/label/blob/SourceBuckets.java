package dev.loupe.label.blob;

import dev.loupe.common.rest.FieldError;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.config.LabelConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;

/**
 * The buckets imports read by reference ({@code loupe.label.imports.s3}): which ones are allowed, and one client for
 * them with the credentials of the configuration (never of a request). Imports list and read objects through it;
 * {@link ReferenceBlobStore} reads the images that stayed there.
 */
@ApplicationScoped
public class SourceBuckets {

    private static final Logger LOG = Logger.getLogger(SourceBuckets.class);

    private final List<String> allowed;
    private final S3Client s3;

    public SourceBuckets(LabelConfig config) {
        LabelConfig.Imports.S3 settings = config.imports().s3();
        this.allowed = settings.buckets().orElse(List.of()).stream().map(String::strip).filter(b -> !b.isEmpty()).toList();
        this.s3 = allowed.isEmpty() ? null : S3BlobStore.client(settings);
    }

    /** Whether imports by reference are on (some bucket is allowed). */
    public boolean enabled() {
        return s3 != null;
    }

    /** The buckets imports may read. */
    public List<String> allowed() {
        return allowed;
    }

    public boolean allows(String bucket) {
        return allowed.contains(bucket);
    }

    /**
     * The URI of a request field, in an allowed bucket: a 403 problem when imports by reference are off, a 422
     * problem naming the field for anything else.
     */
    public S3Uri require(String field, String uri) {
        if (!enabled()) {
            throw new ProblemException(403, "Forbidden", "imports by reference are off; set loupe.label.imports.s3.buckets",
                    List.of(new FieldError(field, "imports by reference are off")));
        }
        S3Uri parsed = S3Uri.parse(uri).orElseThrow(() -> ProblemException.unprocessable(field,
                "must be an s3:// URI such as s3://bucket/prefix/"));
        if (!allows(parsed.bucket())) {
            throw ProblemException.unprocessable(field, notAllowed(parsed.bucket()));
        }
        return parsed;
    }

    /** Why an object of that bucket may not be read. */
    public String notAllowed(String bucket) {
        return "bucket '" + bucket + "' is not one imports may read; allowed: " + allowed
                + " (loupe.label.imports.s3.buckets)";
    }

    /** Every object under the prefix, page by page as the stream is consumed (folder markers left out). */
    public Stream<S3Object> list(S3Uri prefix) {
        return s3.listObjectsV2Paginator(l -> l.bucket(prefix.bucket()).prefix(prefix.key())).contents().stream()
                .filter(o -> !o.key().endsWith("/"));
    }

    /**
     * The object's bytes, refusing (before reading them) an object whose length exceeds {@code limit}; a
     * {@link FileNotFoundException} for a missing object, an {@link IOException} saying why for any other failure.
     */
    public byte[] read(S3Uri uri, long limit) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in = open(uri)) {
            Long length = in.response().contentLength();
            if (length != null && length > limit) {
                in.abort();
                throw new ObjectTooLargeException(length, limit);
            }
            return readBounded(in, limit);
        } catch (NoSuchKeyException e) {
            throw new FileNotFoundException("no such object " + uri);
        } catch (S3Exception e) {
            throw new IOException(e.statusCode() == 404 ? "no such object " + uri
                    : "could not read " + uri + " (" + e.statusCode() + " " + e.awsErrorDetails().errorCode() + ")");
        } catch (SdkException e) {
            LOG.warnf("Reading %s failed: %s", uri, e.getMessage());
            throw new IOException("could not read " + uri + ": the object store does not answer");
        }
    }

    /** The object as a stream (the caller closes it); S3 and SDK exceptions pass through. */
    ResponseInputStream<GetObjectResponse> open(S3Uri uri) {
        return s3.getObject(g -> g.bucket(uri.bucket()).key(uri.key()));
    }

    static byte[] readBounded(InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
            throw new ObjectTooLargeException(-1, limit);
        }
        return bytes;
    }

    /** An object longer than a read may take. */
    public static final class ObjectTooLargeException extends IOException {
        ObjectTooLargeException(long length, long limit) {
            super((length >= 0 ? "object is " + length + " bytes, " : "object is ") + "larger than the limit of "
                    + limit + " bytes");
        }
    }

    @PreDestroy
    void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
