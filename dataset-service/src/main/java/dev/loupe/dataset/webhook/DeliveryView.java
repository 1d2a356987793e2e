package dev.loupe.dataset.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;
import java.util.UUID;

/**
 * One delivery of an event to a webhook and the outcome of its latest attempt. {@code payload}, the body as
 * sent, is only in the response for a single delivery.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(UUID id, UUID webhookId, String eventType, DeliveryStatus status, int attempts,
                           Integer lastStatusCode, String lastError, Instant createdAt, Instant deliveredAt,
                           Instant nextAttemptAt, UUID redeliveryOf, @JsonRawValue String payload) {
    static DeliveryView of(WebhookDelivery d, boolean withPayload) {
        return new DeliveryView(d.id, d.webhookId, d.eventType, d.status, d.attempts, d.lastStatusCode, d.lastError,
                d.createdAt, d.deliveredAt, d.nextAttemptAt, d.redeliveryOf, withPayload ? d.payload : null);
    }
}
