package dev.loupe.dataset.webhook;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The deliveries table as a work queue, each step in its own short transaction so no connection or row lock is
 * held while a receiver is called. Claiming an attempt counts it and leases the delivery (its due time moves past
 * the longest possible attempt) under {@code FOR UPDATE SKIP LOCKED}, so instances never claim the same delivery
 * at once; an instance that dies mid-attempt leaves a lease that simply runs out, and the delivery is tried again
 * (at least once, receivers dedupe on Loupe-Delivery). Outcomes are written only for the attempt that was claimed
 * ({@code attempts} unchanged, still PENDING), so a late answer never overwrites a newer attempt.
 */
@ApplicationScoped
public class DeliveryQueue {

    /** A claimed attempt: what to send where. {@link #toString()} leaves the secret out. */
    public record Claim(UUID deliveryId, UUID webhookId, String eventType, String payload, int attempt, String url,
                        String secret) {
        @Override
        public String toString() {
            return "Claim[delivery " + deliveryId + ", webhook " + webhookId + ", " + eventType + ", attempt " + attempt + "]";
        }
    }

    /** What became of a failed attempt: tried again after {@code retryIn}, or FAILED for good when it is empty. */
    public record Failure(boolean recorded, Optional<Duration> retryIn) {
    }

    private final EntityManager em;
    private final RetrySchedule schedule;

    public DeliveryQueue(EntityManager em, WebhookConfig config) {
        this.em = em;
        this.schedule = new RetrySchedule(config.maxAttempts(), config.initialBackoff(), config.maxBackoff());
    }

    public RetrySchedule schedule() {
        return schedule;
    }

    /** Claims up to {@code limit} due deliveries of active webhooks, oldest due first, leased for {@code lease}. */
    public List<Claim> claim(int limit, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class).doReturningWork(connection -> {
            // the CTE is evaluated once: the rows it locked are exactly the rows updated
            try (PreparedStatement claim = connection.prepareStatement("""
                    WITH due AS (
                        SELECT q.id FROM webhook_delivery q JOIN webhook qw ON qw.id = q.webhook_id
                        WHERE q.status = 'PENDING' AND q.next_attempt_at <= now() AND qw.active
                        ORDER BY q.next_attempt_at
                        LIMIT ?
                        FOR UPDATE OF q SKIP LOCKED)
                    UPDATE webhook_delivery d
                    SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ?)
                    FROM due, webhook w
                    WHERE d.id = due.id AND w.id = d.webhook_id
                    RETURNING d.id, d.webhook_id, d.event_type, d.payload, d.attempts, w.url, w.secret""")) {
                claim.setInt(1, limit);
                claim.setDouble(2, lease.toMillis() / 1000.0);
                List<Claim> claims = new ArrayList<>();
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        claims.add(new Claim(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), rows.getString(3),
                                rows.getString(4), rows.getInt(5), rows.getString(6), rows.getString(7)));
                    }
                }
                return claims;
            }
        }));
    }

    /** Records a 2xx answer; false if the attempt was superseded (webhook deleted, lease run out and re-claimed). */
    public boolean delivered(Claim claim, int statusCode) {
        return execute("""
                UPDATE webhook_delivery SET status = 'DELIVERED', last_status_code = ?, last_error = NULL,
                    delivered_at = now(), next_attempt_at = NULL
                WHERE id = ? AND attempts = ? AND status = 'PENDING'""", statusCode, claim.deliveryId(), claim.attempt()) > 0;
    }

    /**
     * Records a failed attempt: the delivery is tried again after the backoff, or marked FAILED when its attempts are
     * used up or {@code retryable} is false (the target is not allowed any more: retrying cannot help).
     */
    public Failure failed(Claim claim, Integer statusCode, String error, boolean retryable) {
        Optional<Duration> retryIn = retryable ? schedule.delayAfter(claim.attempt()) : Optional.empty();
        String message = error == null || error.length() <= 1000 ? error : error.substring(0, 1000) + "...";
        int updated = retryIn.isPresent()
                ? execute("""
                        UPDATE webhook_delivery SET last_status_code = ?, last_error = ?,
                            next_attempt_at = now() + make_interval(secs => ?)
                        WHERE id = ? AND attempts = ? AND status = 'PENDING'""",
                statusCode, message, retryIn.get().toMillis() / 1000.0, claim.deliveryId(), claim.attempt())
                : execute("""
                        UPDATE webhook_delivery SET status = 'FAILED', last_status_code = ?, last_error = ?,
                            next_attempt_at = NULL
                        WHERE id = ? AND attempts = ? AND status = 'PENDING'""",
                statusCode, message, claim.deliveryId(), claim.attempt());
        return new Failure(updated > 0, retryIn);
    }

    /** Deletes delivered and failed deliveries created before {@code retention} ago; returns how many. */
    public int purge(Duration retention) {
        return execute("""
                DELETE FROM webhook_delivery
                WHERE status <> 'PENDING' AND created_at < now() - make_interval(secs => ?)""",
                (double) retention.toSeconds());
    }

    /** Runs one statement in its own transaction; null parameters are bound with the type of their column. */
    private int execute(String sql, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    if (params[i] == null) {
                        statement.setNull(i + 1, Types.OTHER);
                    } else {
                        statement.setObject(i + 1, params[i]);
                    }
                }
                return statement.executeUpdate();
            }
        }));
    }
}
