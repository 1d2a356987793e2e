package dev.loupe.dataset.split;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.outbox.Outbox;
import dev.loupe.dataset.webhook.WebhookService;
import dev.loupe.events.EventType;
import dev.loupe.events.SplitRefreshed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/** Announces a refreshed split in the refresh's transaction: the SplitRefreshed event and the webhook deliveries. */
@ApplicationScoped
public class SplitPublisher {

    private final Outbox outbox;
    private final WebhookService webhooks;
    private final ObjectMapper json;

    public SplitPublisher(Outbox outbox, WebhookService webhooks, ObjectMapper json) {
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(SplitRefreshed event, Instant now) {
        outbox.publish(event, now);
        webhooks.enqueue(event.projectId(), EventType.SPLIT_REFRESHED.wireName(), write(event));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
