package dev.loupe.label;

import dev.loupe.common.outbox.OutboxRelay;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class OutboxPurgeTest {

    @Inject
    OutboxRelay relay;

    @Inject
    EntityManager em;

    @Test
    void publishedEventsPastTheRetentionAreDeletedAndUnpublishedOnesNever() {
        UUID old = UUID.randomUUID();
        UUID unpublished = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        relay.stop(); // so the unpublished row stays unpublished
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                insert(old, Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(8)));
                insert(unpublished, Instant.now().minus(Duration.ofDays(30)), null);
                insert(recent, Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1)));
            });
            assertTrue(relay.purgePublished() >= 1);
            assertEquals(0, count(old));
            assertEquals(1, count(unpublished));
            assertEquals(1, count(recent));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM outbox_event WHERE event_id = ?1")
                    .setParameter(1, unpublished).executeUpdate());
            relay.start();
        }
    }

    private void insert(UUID eventId, Instant created, Instant published) {
        em.createNativeQuery("""
                        INSERT INTO outbox_event (id, event_id, topic, msg_key, type, payload, created_at)
                        VALUES (nextval('outbox_event_seq'), ?1, 'loupe.test', 'k', 't', '{}', ?2)""")
                .setParameter(1, eventId).setParameter(2, created).executeUpdate();
        if (published != null) {
            em.createNativeQuery("UPDATE outbox_event SET published_at = ?1 WHERE event_id = ?2")
                    .setParameter(1, published).setParameter(2, eventId).executeUpdate();
        }
    }

    private long count(UUID eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM outbox_event WHERE event_id = ?1").setParameter(1, eventId).getSingleResult()).longValue());
    }
}
