package dev.loupe.dataset.webhook;

import dev.loupe.common.util.Causes;
import dev.loupe.common.worker.BackgroundWorker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Sends due deliveries in the background: one thread claims them (as many as there are free sending slots) and
 * hands each to a sender thread, so a slow receiver holds one slot, not the queue. Committed new deliveries wake
 * it at once; otherwise it looks every {@code poll-interval}, which is also how retries come due.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    // beyond the longest possible attempt, so a lease only runs out when its instance is gone or stuck
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(2);
    private static final Duration MAX_ERROR_PAUSE = Duration.ofSeconds(30);

    private final DeliveryQueue queue;
    private final DeliverySender sender;
    private final WebhookConfig config;
    private final Duration lease;
    private final Semaphore slots;
    private final BackgroundWorker claimer;
    private ExecutorService senders;
    private long purgeDue = System.nanoTime();
    private final io.micrometer.core.instrument.Counter delivered;
    private final io.micrometer.core.instrument.Counter retried;
    private final io.micrometer.core.instrument.Counter failed;

    private static io.micrometer.core.instrument.Counter outcome(io.micrometer.core.instrument.MeterRegistry registry, String outcome) {
        return io.micrometer.core.instrument.Counter.builder("loupe.dataset.webhook.attempts").tag("outcome", outcome)
                .description("Webhook delivery attempts by outcome: delivered, retry (failed, tried again later), failed (for good)")
                .register(registry);
    }

    public DeliveryWorker(DeliveryQueue queue, DeliverySender sender, WebhookTransport transport, WebhookConfig config,
                          io.micrometer.core.instrument.MeterRegistry registry) {
        this.delivered = outcome(registry, "delivered");
        this.retried = outcome(registry, "retry");
        this.failed = outcome(registry, "failed");
        this.queue = queue;
        this.sender = sender;
        this.config = config;
        this.lease = transport.maxDuration().plus(LEASE_MARGIN);
        this.slots = new Semaphore(Math.max(1, config.concurrency()));
        this.claimer = BackgroundWorker.builder("webhook-claimer", this::claimDue)
                .pollInterval(config.pollInterval())
                .backoff(ERROR_PAUSE, MAX_ERROR_PAUSE)
                .interruptOnStop()
                .metrics(registry)
                .build();
    }

    void onStart(@Observes StartupEvent event) {
        senders = Executors.newFixedThreadPool(Math.max(1, config.concurrency()),
                Thread.ofPlatform().name("loupe-webhook-sender-", 0).daemon().factory());
        claimer.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        claimer.stop();
        if (senders != null) {
            // attempts cut short here keep their lease and are sent again once it runs out
            senders.shutdownNow();
        }
    }

    /** Looks for due deliveries now. */
    public void wake() {
        claimer.wake();
    }

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeliveriesQueued event) {
        wake();
    }

    /** Claims due deliveries for the free slots; true when every slot got one and more may be due. */
    private boolean claimDue() throws InterruptedException {
        if (System.nanoTime() - purgeDue >= 0) {
            purge();
            purgeDue = System.nanoTime() + PURGE_EVERY.toNanos();
        }
        int free = slots.availablePermits();
        List<DeliveryQueue.Claim> claims = free == 0 ? List.of() : queue.claim(free, lease);
        for (DeliveryQueue.Claim claim : claims) {
            slots.acquire(); // never waits: only this thread takes slots, and it claimed at most the free ones
            senders.execute(() -> attempt(claim));
        }
        // else nothing more is due, or every slot is busy: wait for a commit, a freed slot or the poll interval
        return free > 0 && claims.size() == free;
    }

    private void attempt(DeliveryQueue.Claim claim) {
        try {
            long started = System.nanoTime();
            DeliverySender.Attempt attempt = sender.send(claim);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (attempt.delivered()) {
                if (queue.delivered(claim, attempt.statusCode())) {
                    delivered.increment();
                    LOG.infof("Webhook delivery %s (webhook %s, %s, host %s) delivered on attempt %d: HTTP %d in %d ms",
                            claim.deliveryId(), claim.webhookId(), claim.eventType(), host(claim), claim.attempt(),
                            attempt.statusCode(), millis);
                } else {
                    superseded(claim);
                }
                return;
            }
            DeliveryQueue.Failure failure = queue.failed(claim, attempt.statusCode(), attempt.error(), attempt.retryable());
            if (!failure.recorded()) {
                superseded(claim);
            } else if (failure.retryIn().isPresent()) {
                retried.increment();
                LOG.warnf("Webhook delivery %s (webhook %s, %s, host %s) attempt %d of %d failed in %d ms: %s; next in %d ms",
                        claim.deliveryId(), claim.webhookId(), claim.eventType(), host(claim), claim.attempt(),
                        queue.schedule().maxAttempts(), millis, attempt.error(), failure.retryIn().get().toMillis());
            } else {
                failed.increment();
                LOG.warnf("Webhook delivery %s (webhook %s, %s, host %s) FAILED after attempt %d: %s",
                        claim.deliveryId(), claim.webhookId(), claim.eventType(), host(claim), claim.attempt(), attempt.error());
            }
        } catch (RuntimeException e) {
            // the outcome could not be written (database away): the lease runs out and the delivery is tried again
            LOG.warnf("Webhook delivery %s (webhook %s) attempt %d: outcome not recorded (%s); it is retried after its lease",
                    claim.deliveryId(), claim.webhookId(), claim.attempt(), Causes.rootMessage(e));
        } finally {
            slots.release();
            wake();
        }
    }

    private void superseded(DeliveryQueue.Claim claim) {
        LOG.infof("Webhook delivery %s (webhook %s) attempt %d: outcome dropped, the delivery was deleted or re-claimed",
                claim.deliveryId(), claim.webhookId(), claim.attempt());
    }

    private void purge() {
        int purged = queue.purge(config.retention());
        if (purged > 0) {
            LOG.infof("Purged %d webhook deliveries older than %s", purged, config.retention());
        }
    }

    /** The receiver's host for logs: never the whole URL, whose path or query may carry a token. */
    private static String host(DeliveryQueue.Claim claim) {
        try {
            return URI.create(claim.url()).getHost();
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }
}
