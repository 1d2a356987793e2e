package dev.loupe.dataset.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of outgoing webhooks, {@code loupe.dataset.webhooks.*}. */
@ConfigMapping(prefix = "loupe.dataset.webhooks")
public interface WebhookConfig {

    /**
     * Whether targets on loopback addresses (127.0.0.0/8, ::1) are accepted: true for a developer's own machine
     * (./loupe up), false on a shared cluster where loopback reaches the service's own sidecars and admin ports.
     */
    @WithDefault("false")
    boolean allowLoopback();

    /**
     * Whether targets in private, CGNAT and link-local ranges are accepted (an on-premises receiver in the same
     * network). Cloud metadata addresses stay refused either way.
     */
    @WithDefault("false")
    boolean allowPrivate();

    /** Attempts per delivery, the first one included, before it is marked FAILED. */
    @WithDefault("8")
    int maxAttempts();

    /** Wait after the first failed attempt; doubled after each further failure up to {@link #maxBackoff()}. */
    @WithDefault("PT1S")
    Duration initialBackoff();

    @WithDefault("PT10M")
    Duration maxBackoff();

    /** Time to open the connection to a receiver (over all its addresses). */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /** Time for the request, from the open connection to the receiver's status line. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /** Deliveries sent at once by this instance; one slow receiver does not hold up the others. */
    @WithDefault("4")
    int concurrency();

    /** How often the worker looks for due deliveries when nothing woke it (new deliveries wake it at once). */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** How long delivered and failed deliveries stay in the log before they are deleted. */
    @WithDefault("P30D")
    Duration retention();
}
