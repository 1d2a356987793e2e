package dev.loupe.label.blob;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.util.Digests;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * Moves one image between the database and the bucket without a moment in which readers miss it: the bytes are read
 * from the store its row names and checked against the sha256, written to the target, then the row is flipped in a
 * short transaction (only if it still names the source), and only after that commits is the source copy removed
 * (from the database in the flip itself, from the bucket right after). Before the flip readers read the source, after
 * it the target; both hold the bytes at the flip. Images are content-addressed, so an image several projects show is
 * one copy and moves for all of them.
 */
@ApplicationScoped
public class BlobMover {

    private static final Logger LOG = Logger.getLogger(BlobMover.class);

    /** The stores migrations move between; rows naming another store (images kept elsewhere) are left alone. */
    public static final Set<String> MOVABLE = Set.of(PostgresBlobStore.NAME, S3BlobStore.NAME);

    /** What became of one image. {@code reason} is set exactly for {@link Result#FAILED}. */
    public record Outcome(Result result, String reason) {
        static final Outcome MOVED = new Outcome(Result.MOVED, null);
        static final Outcome SKIPPED = new Outcome(Result.SKIPPED, null);

        static Outcome failed(String reason) {
            return new Outcome(Result.FAILED, reason);
        }
    }

    /** Moved now; already in the target (or in a store migrations leave alone); not moved, with a reason. */
    public enum Result { MOVED, SKIPPED, FAILED }

    private final BlobStores stores;
    private final EntityManager em;

    public BlobMover(BlobStores stores, EntityManager em) {
        this.stores = stores;
        this.em = em;
    }

    /** Moves the image to the target store (a name of {@link #MOVABLE} this deployment has); never throws for one image. */
    public Outcome move(String sha256, String target) {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> row(sha256));
        if (row == null) {
            return Outcome.failed("the image has no row in label.blob");
        }
        String source = (String) row[0];
        String contentType = (String) row[1];
        if (source.equals(target) || !MOVABLE.contains(source)) {
            return Outcome.SKIPPED;
        }
        try {
            BlobStore from = stores.named(source).orElseThrow(() -> new IllegalStateException(
                    "its store " + source + " is not configured in this deployment"));
            // in a transaction of its own: the database store reads with the entity manager (a bucket read holds no connection)
            byte[] bytes = QuarkusTransaction.requiringNew().call(() -> {
                try (StoredBlob blob = from.open(sha256)) {
                    return blob.readAllBytes();
                }
            });
            String actual = Digests.sha256(bytes);
            if (!actual.equals(sha256)) {
                return Outcome.failed("the bytes in the " + source + " store do not match the image's sha256 (they hash to "
                        + actual + "); left where it is");
            }
            if (target.equals(S3BlobStore.NAME)) {
                bucket().write(sha256, contentType, bytes);
            }
            int flipped = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                            "UPDATE blob SET store = ?1, bytes = ?2 WHERE sha256 = ?3 AND store = ?4")
                    .setParameter(1, target)
                    .setParameter(2, target.equals(PostgresBlobStore.NAME) ? bytes : null)
                    .setParameter(3, sha256)
                    .setParameter(4, source)
                    .executeUpdate());
            if (flipped == 0) {
                return Outcome.failed("the image's row changed while it was being moved; run the migration again");
            }
        } catch (ProblemException | IllegalStateException | UncheckedIOException e) {
            return Outcome.failed("could not move it from " + source + " to " + target + ": " + e.getMessage());
        }
        if (source.equals(S3BlobStore.NAME)) {
            try {
                bucket().delete(sha256);
            } catch (ProblemException e) {
                // moved all the same: the row names the database now; the object only takes space until deleted by hand
                LOG.warnf("Image %s moved to the database, but its object stays in the bucket: %s", sha256, e.getMessage());
            }
        }
        return Outcome.MOVED;
    }

    private Object[] row(String sha256) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT store, content_type FROM blob WHERE sha256 = ?1")
                .setParameter(1, sha256).getResultList();
        return rows.isEmpty() ? null : rows.getFirst();
    }

    private S3BlobStore bucket() {
        return (S3BlobStore) stores.named(S3BlobStore.NAME).orElseThrow(() -> new IllegalStateException(
                "the s3 store is not configured in this deployment"));
    }
}
