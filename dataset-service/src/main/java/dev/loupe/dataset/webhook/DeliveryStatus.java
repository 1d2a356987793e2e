package dev.loupe.dataset.webhook;

/** Where a delivery stands: waiting for (another) attempt, accepted by the receiver, or given up. */
public enum DeliveryStatus {
    PENDING, DELIVERED, FAILED
}
