package dev.loupe.common.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.UUID;

/**
 * The consumer side of "exactly once in effect": a consumer calls {@link #markProcessed} in the same transaction
 * as the effect of an event and skips the effect when it returns false. A concurrent duplicate blocks on the
 * primary key until the first transaction ends, then sees the row, so two deliveries never both apply.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final EntityManager em;

    public ProcessedEvents(EntityManager em) {
        this.em = em;
    }

    /** Records the event as processed by {@code consumer}; false if it already was. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markProcessed(String consumer, UUID eventId) {
        return em.createNativeQuery("""
                        INSERT INTO processed_event (consumer, event_id) VALUES (?1, ?2)
                        ON CONFLICT (consumer, event_id) DO NOTHING""")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean isProcessed(String consumer, UUID eventId) {
        return !em.createNativeQuery("SELECT 1 FROM processed_event WHERE consumer = ?1 AND event_id = ?2")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .getResultList().isEmpty();
    }
}
