package dev.loupe.label.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;

/** Background jobs a restart cut short will never finish: at the next start they say so, instead of RUNNING forever. */
final class InterruptedJobs {

    private static final Logger LOG = Logger.getLogger(InterruptedJobs.class);

    private InterruptedJobs() {
    }

    /**
     * Marks every job of the entity (with {@code status}, {@code error}, {@code finishedAt}) that is {@code running}
     * as {@code failed} with the error, in a transaction of its own.
     */
    static <S extends Enum<S>> void markFailed(EntityManager em, String entity, S running, S failed, String error) {
        int interrupted = QuarkusTransaction.requiringNew().call(() -> em.createQuery("update " + entity
                        + " set status = :failed, error = :error, finishedAt = :now where status = :running")
                .setParameter("failed", failed)
                .setParameter("error", error)
                .setParameter("now", Instant.now())
                .setParameter("running", running)
                .executeUpdate());
        if (interrupted > 0) {
            LOG.warnf("Marked %d interrupted %s jobs as failed", interrupted, entity);
        }
    }
}
