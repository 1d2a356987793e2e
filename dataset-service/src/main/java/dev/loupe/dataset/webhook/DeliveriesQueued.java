package dev.loupe.dataset.webhook;

/** A transaction queued webhook deliveries; observed after its commit to wake the {@link DeliveryWorker}. */
public record DeliveriesQueued() {
}
