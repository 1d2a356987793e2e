package dev.loupe.label.config;

import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How the service reaches an S3-compatible object store: shared by the image bucket ({@code loupe.label.blobs.s3})
 * and the buckets imports read by reference ({@code loupe.label.imports.s3}). Credentials come from here (or the AWS
 * default chain), never from requests.
 */
public interface S3Connection {

    /** E.g. {@code http://minio:9000}; absent: AWS S3 of the region. */
    Optional<URI> endpoint();

    @WithDefault("us-east-1")
    String region();

    /** Absent (with the secret key): the AWS default credentials chain (environment, profile, instance role). */
    Optional<String> accessKey();

    Optional<String> secretKey();

    /** Path-style URLs ({@code endpoint/bucket/key}), which MinIO, Ceph and s3proxy expect. */
    @WithDefault("true")
    boolean pathStyle();

    /** How long one call to the object store may take before it counts as not answering. */
    @WithDefault("PT30S")
    Duration timeout();
}
