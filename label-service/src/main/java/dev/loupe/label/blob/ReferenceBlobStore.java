package dev.loupe.label.blob;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.util.Digests;
import dev.loupe.label.image.ImageInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Images imported by reference: the bytes stay where they were imported from ({@code label.blob.source_uri}, an object
 * in one of the buckets of {@link SourceBuckets}); the row keeps the image's metadata. A read fetches the object and
 * checks it is still the image imported (same length, same sha256) before handing out a byte, so a changed object is
 * never served under the old sha256: a missing object answers 404, a changed one 409, both saying to import again.
 */
@ApplicationScoped
public class ReferenceBlobStore implements BlobStore {

    public static final String NAME = "reference";

    private static final Logger LOG = Logger.getLogger(ReferenceBlobStore.class);

    private final EntityManager em;
    private final SourceBuckets buckets;

    public ReferenceBlobStore(EntityManager em, SourceBuckets buckets) {
        this.em = em;
        this.buckets = buckets;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Never where new images go: they are recorded with the object they came from ({@link #record}). */
    @Override
    public void put(ImageInfo info, byte[] bytes, Instant now) {
        throw new UnsupportedOperationException("images are stored by reference with record(info, source, now)");
    }

    /**
     * Records an image read from {@code source} unless it is stored already, wherever (a stored copy is kept rather
     * than a reference); runs in the caller's transaction.
     */
    public void record(ImageInfo info, S3Uri source, Instant now) {
        BlobRows.insertReference(em, info, source.toString(), now);
    }

    @Override
    public StoredBlob open(String sha256) {
        Reference ref = reference(sha256);
        if (!buckets.allows(ref.source().bucket())) {
            throw unavailable(sha256, "its bucket is no longer among loupe.label.imports.s3.buckets");
        }
        try (ResponseInputStream<GetObjectResponse> in = buckets.open(ref.source())) {
            Long length = in.response().contentLength();
            if (length != null && length != ref.size()) {
                in.abort();
                throw changed(sha256, ref, length + " bytes instead of " + ref.size());
            }
            byte[] bytes = SourceBuckets.readBounded(in, ref.size());
            if (bytes.length != ref.size() || !Digests.sha256(bytes).equals(sha256)) {
                throw changed(sha256, ref, "its content has another sha256");
            }
            return StoredBlob.inMemory(ref.contentType(), bytes);
        } catch (NoSuchKeyException e) {
            throw gone(sha256, ref);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw gone(sha256, ref);
            }
            LOG.warnf("Reading image %s from %s failed: %d %s", sha256, ref.source(), e.statusCode(), e.getMessage());
            throw unavailable(sha256, "the object store refused the read (" + e.statusCode() + ")");
        } catch (SourceBuckets.ObjectTooLargeException e) {
            throw changed(sha256, ref, "it grew");
        } catch (SdkException | IOException e) {
            LOG.warnf("Reading image %s from %s failed: %s", sha256, ref.source(), e.getMessage());
            throw unavailable(sha256, "the object store does not answer; try again later");
        }
    }

    @Override
    public boolean exists(String sha256) {
        try (StoredBlob ignored = open(sha256)) {
            return true;
        } catch (ProblemException e) {
            if (e.status() == 404 || e.status() == 409) {
                return false;
            }
            throw e;
        }
    }

    private record Reference(S3Uri source, String contentType, long size) {
    }

    private Reference reference(String sha256) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT source_uri, content_type, size FROM blob WHERE sha256 = ?1 AND store = ?2")
                .setParameter(1, sha256).setParameter(2, NAME).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("blob", sha256);
        }
        Object[] row = rows.getFirst();
        S3Uri source = S3Uri.parse((String) row[0])
                .orElseThrow(() -> new IllegalStateException("image " + sha256 + " has source_uri " + row[0]));
        return new Reference(source, (String) row[1], ((Number) row[2]).longValue());
    }

    private static ProblemException gone(String sha256, Reference ref) {
        return new ProblemException(404, "Not Found", "image " + sha256 + " was imported by reference from "
                + ref.source() + ", which no longer exists; put it back or import the image again", List.of());
    }

    private static ProblemException changed(String sha256, Reference ref, String how) {
        LOG.warnf("Image %s: its source %s changed since the import (%s); not served", sha256, ref.source(), how);
        return new ProblemException(409, "Conflict", "image " + sha256 + " was imported by reference from "
                + ref.source() + ", which has changed since (" + how + "); import it again", List.of());
    }

    private static ProblemException unavailable(String sha256, String why) {
        return new ProblemException(503, "Service unavailable", "image " + sha256
                + " is kept in an import bucket that cannot be read: " + why, List.of());
    }
}
