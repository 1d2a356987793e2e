package dev.loupe.label.blob;

import dev.loupe.label.config.LabelConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * Short-lived presigned GET URLs of images in the bucket ({@code loupe.label.blobs.s3.presign}), so a browser fetches
 * the bytes from the object store instead of through the service. Signed with the service's own credentials for the
 * endpoint browsers reach ({@code public-endpoint}, else {@code endpoint}); off unless configured.
 */
@ApplicationScoped
public class S3Links {

    private final S3Presigner presigner;
    private final String bucket;
    private final Duration ttl;

    public S3Links(LabelConfig config) {
        LabelConfig.Blobs.S3 s3 = config.blobs().s3();
        boolean bucketUsed = config.blobs().store() == LabelConfig.Blobs.Store.S3 || s3.enabled();
        this.bucket = s3.bucket();
        this.ttl = s3.presignTtl();
        if (!s3.presign() || !bucketUsed) {
            this.presigner = null;
            return;
        }
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(s3.region()))
                .credentialsProvider(S3BlobStore.credentials(s3))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyle()).build());
        s3.publicEndpoint().or(s3::endpoint).ifPresent(builder::endpointOverride);
        this.presigner = builder.build();
    }

    /** Whether reads may answer presigned URLs. */
    public boolean enabled() {
        return presigner != null;
    }

    /** How long a link works. */
    public Duration ttl() {
        return ttl;
    }

    /** A presigned GET URL of the image's object, valid for {@link #ttl()}; empty when presigning is off. */
    public Optional<URI> link(String sha256) {
        if (presigner == null) {
            return Optional.empty();
        }
        String key = BlobKeys.key(sha256);
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(ttl)
                    .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the presigned URL of " + key + " is not a URI", e);
        }
    }

    /** scheme://host[:port] of the links (for the web page's Content-Security-Policy); empty when presigning is off. */
    public Optional<String> origin() {
        return link("0".repeat(64)).map(uri -> uri.getScheme() + "://" + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
    }

    @PreDestroy
    void close() {
        if (presigner != null) {
            presigner.close();
        }
    }
}
