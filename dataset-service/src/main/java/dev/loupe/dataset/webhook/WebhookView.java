package dev.loupe.dataset.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered webhook; its secret is never shown, {@code secretSet} says there is one. */
public record WebhookView(UUID id, String url, List<String> events, UUID projectId, boolean active, boolean secretSet,
                          Instant createdAt, String createdBy) {
    static WebhookView of(Webhook w) {
        return new WebhookView(w.id, w.url, List.copyOf(w.events), w.projectId, w.active,
                w.secret != null && !w.secret.isEmpty(), w.createdAt, w.createdBy);
    }
}
