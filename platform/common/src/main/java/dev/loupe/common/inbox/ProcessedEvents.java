package dev.loupe.common.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        return markAllProcessed(consumer, List.of(eventId)).contains(eventId);
    }

    /**
     * Records a batch of events as processed by {@code consumer} in one statement; returns the ids that were not
     * yet (each once, even when the batch names it twice). The same guarantees as {@link #markProcessed}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<UUID> markAllProcessed(String consumer, Collection<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        Set<UUID> fresh = new HashSet<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO processed_event (consumer, event_id) SELECT ?, unnest(?::uuid[])
                    ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id""")) {
                insert.setString(1, consumer);
                insert.setArray(2, connection.createArrayOf("uuid", eventIds.toArray()));
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        fresh.add(rows.getObject(1, UUID.class));
                    }
                }
            }
        });
        return fresh;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean isProcessed(String consumer, UUID eventId) {
        return !em.createNativeQuery("SELECT 1 FROM processed_event WHERE consumer = ?1 AND event_id = ?2")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .getResultList().isEmpty();
    }
}
