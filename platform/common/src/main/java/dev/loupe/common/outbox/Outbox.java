package dev.loupe.common.outbox;

import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.LoupeEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.UUID;

/**
 * Writes events into the outbox table inside the caller's transaction, so an event exists if and only if the change
 * it describes was committed. No dual write: Kafka is only ever written by {@link OutboxRelay}.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final EventCodec codec = new EventCodec();
    private final OutboxConfig config;
    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry txRegistry;

    public Outbox(EntityManager em, OutboxConfig config, OutboxRelay relay, TransactionSynchronizationRegistry txRegistry) {
        this.em = em;
        this.config = config;
        this.relay = relay;
        this.txRegistry = txRegistry;
    }

    /** Adds an event to the current transaction; returns its envelope (with id and sequence). */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T extends LoupeEvent> EventEnvelope<T> publish(T event, Instant time) {
        // nextval also flushes the caller's pending entity changes first, so a row lock held by a concurrent
        // change of the same aggregate orders the sequence numbers like the versions.
        long sequence = ((Number) em.createNativeQuery("SELECT nextval('outbox_event_seq')").getSingleResult()).longValue();
        EventEnvelope<T> envelope = EventEnvelope.wrap(UUID.randomUUID(), config.source(), time, sequence, event);
        em.createNativeQuery("""
                        INSERT INTO outbox_event (id, event_id, topic, msg_key, type, payload, created_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, sequence)
                .setParameter(2, envelope.id())
                .setParameter(3, envelope.eventType().topic())
                .setParameter(4, envelope.subject())
                .setParameter(5, envelope.type())
                .setParameter(6, codec.encode(envelope))
                .setParameter(7, time)
                .executeUpdate();
        wakeRelayAfterCommit();
        return envelope;
    }

    private void wakeRelayAfterCommit() {
        String key = Outbox.class.getName();
        if (txRegistry.getResource(key) != null) {
            return;
        }
        txRegistry.putResource(key, Boolean.TRUE);
        txRegistry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wake();
                }
            }
        });
    }
}
