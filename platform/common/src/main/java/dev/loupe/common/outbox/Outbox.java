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

import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
        return publishAll(List.of(event), time).getFirst();
    }

    /**
     * Adds events to the current transaction in this order, in two round trips whatever their number (one for the
     * sequence numbers, one JDBC batch of inserts); returns their envelopes. A bulk change publishes its events here
     * rather than one {@link #publish} each.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T extends LoupeEvent> List<EventEnvelope<T>> publishAll(List<T> events, Instant time) {
        if (events.isEmpty()) {
            return List.of();
        }
        // nextval also flushes the caller's pending entity changes first, so a row lock held by a concurrent
        // change of the same aggregate orders the sequence numbers like the versions.
        List<Long> sequences = new ArrayList<>(events.size());
        for (Object n : em.createNativeQuery("SELECT nextval('outbox_event_seq') FROM generate_series(1, ?1)")
                .setParameter(1, events.size()).getResultList()) {
            sequences.add(((Number) n).longValue());
        }
        sequences.sort(null);
        List<EventEnvelope<T>> envelopes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            envelopes.add(EventEnvelope.wrap(UUID.randomUUID(), config.source(), time, sequences.get(i), events.get(i)));
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO outbox_event (id, event_id, topic, msg_key, type, payload, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                OffsetDateTime at = OffsetDateTime.ofInstant(time, ZoneOffset.UTC);
                for (EventEnvelope<T> envelope : envelopes) {
                    insert.setLong(1, envelope.sequence());
                    insert.setObject(2, envelope.id());
                    insert.setString(3, envelope.eventType().topic());
                    insert.setString(4, envelope.subject());
                    insert.setString(5, envelope.type());
                    insert.setString(6, codec.encode(envelope));
                    insert.setObject(7, at);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        wakeRelayAfterCommit();
        return envelopes;
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
