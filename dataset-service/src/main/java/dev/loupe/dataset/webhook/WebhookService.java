package dev.loupe.dataset.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.events.EventType;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Registers webhooks, queues deliveries for events and answers for the delivery log. */
@ApplicationScoped
public class WebhookService {

    /** The events a webhook can subscribe to: those of this service. */
    public static final Set<String> EVENT_TYPES = Set.of(EventType.DATASET_VERSION_PUBLISHED.wireName(),
            EventType.SPLIT_REFRESHED.wireName());
    /** Subscribes to every event type, present and future. */
    public static final String ALL_EVENTS = "*";
    static final int MIN_SECRET_LENGTH = 16;
    static final int MAX_SECRET_LENGTH = 1024;

    private static final Logger LOG = Logger.getLogger(WebhookService.class);

    private final EntityManager em;
    private final UrlGuard guard;
    private final Event<DeliveriesQueued> queued;
    private final ObjectMapper json;

    public WebhookService(EntityManager em, UrlGuard guard, Event<DeliveriesQueued> queued, ObjectMapper json) {
        this.em = em;
        this.guard = guard;
        this.queued = queued;
        this.json = json;
    }

    /**
     * Queues {@code payloadJson} for every active webhook subscribed to {@code eventType} (its wire name, e.g.
     * {@code dev.loupe.dataset.version-published}) for this project or for all projects, in the caller's
     * transaction: deliveries exist if and only if the change that caused the event commits. Sending happens
     * after the commit, in the background.
     *
     * @param projectId   the project the event is about; null matches only webhooks for all projects
     * @param payloadJson the exact body every delivery sends and signs; must be JSON
     * @return how many deliveries were queued
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int enqueue(UUID projectId, String eventType, String payloadJson) {
        if (eventType == null || eventType.isBlank()) {
            throw new IllegalArgumentException("eventType is required");
        }
        requireJson(payloadJson);
        var insert = em.createNativeQuery("""
                        INSERT INTO webhook_delivery (id, webhook_id, event_type, payload, status, attempts, next_attempt_at,
                                                      created_at)
                        SELECT gen_random_uuid(), w.id, ?1, ?2, 'PENDING', 0, now(), clock_timestamp()
                        FROM webhook w
                        WHERE w.active AND (?1 = ANY (w.events) OR '*' = ANY (w.events))
                          AND (w.project_id IS NULL""" + (projectId == null ? ")" : " OR w.project_id = ?3)"))
                .setParameter(1, eventType)
                .setParameter(2, payloadJson);
        if (projectId != null) {
            insert.setParameter(3, projectId);
        }
        int queued = insert.executeUpdate();
        if (queued > 0) {
            wakeWorkerAfterCommit();
        }
        return queued;
    }

    /** Validates and stores a webhook; 422 naming every invalid field, and then nothing is stored. */
    @Transactional
    public WebhookView register(String url, List<String> events, String secret, UUID projectId, String actor) {
        FieldErrors errors = new FieldErrors();
        String target = null;
        try {
            target = guard.check(url).toString();
        } catch (UrlGuard.Rejected e) {
            errors.add("url", e.getMessage());
        }
        List<String> subscribed = checkEvents(events, errors);
        errors.check(secret == null || secret.isBlank() || secret.length() < MIN_SECRET_LENGTH, "secret",
                        "is required, at least " + MIN_SECRET_LENGTH + " characters (a random one: openssl rand -hex 32)")
                .check(secret != null && secret.length() > MAX_SECRET_LENGTH, "secret",
                        "at most " + MAX_SECRET_LENGTH + " characters")
                .throwIfAny();
        Webhook webhook = new Webhook();
        webhook.id = UUID.randomUUID();
        webhook.url = target;
        webhook.events = subscribed;
        webhook.secret = secret;
        webhook.projectId = projectId;
        webhook.active = true;
        webhook.createdAt = Instant.now();
        webhook.createdBy = actor;
        webhook.persist();
        LOG.infof("Webhook %s registered by %s for %s (project %s)", webhook.id, actor, subscribed,
                projectId == null ? "all" : projectId);
        return WebhookView.of(webhook);
    }

    /** Every webhook, oldest first. */
    @Transactional
    public List<WebhookView> list() {
        return Webhook.<Webhook>listAll(Sort.by("createdAt").and("id")).stream().map(WebhookView::of).toList();
    }

    /** The webhook, or 404. */
    @Transactional
    public WebhookView get(UUID id) {
        return WebhookView.of(require(id));
    }

    /**
     * The project whose events the webhook receives, empty for a webhook of all projects; 404 for an unknown id (for
     * access checks).
     */
    @Transactional
    public Optional<UUID> projectOf(UUID id) {
        return Optional.ofNullable(require(id).projectId);
    }

    private Webhook require(UUID id) {
        Webhook webhook = Webhook.findById(id);
        if (webhook == null) {
            throw ProblemException.notFound("webhook", id);
        }
        return webhook;
    }

    /** Deletes a webhook with its delivery log; attempts in flight finish, nothing is sent after that. */
    @Transactional
    public void delete(UUID id) {
        int deleted = em.createNativeQuery("DELETE FROM webhook WHERE id = ?1").setParameter(1, id).executeUpdate();
        if (deleted == 0) {
            throw ProblemException.notFound("webhook", id);
        }
        LOG.infof("Webhook %s deleted", id);
    }

    /** A webhook's deliveries, newest first, optionally of one status. */
    @Transactional
    public List<DeliveryView> deliveries(UUID webhookId, DeliveryStatus status, int limit) {
        require(webhookId);
        Sort newestFirst = Sort.descending("createdAt").and("id", Sort.Direction.Descending);
        var query = status == null
                ? WebhookDelivery.<WebhookDelivery>find("webhookId", newestFirst, webhookId)
                : WebhookDelivery.<WebhookDelivery>find("webhookId = ?1 and status = ?2", newestFirst, webhookId, status);
        return query.page(0, limit).list().stream().map(d -> DeliveryView.of(d, false)).toList();
    }

    /** One delivery of a webhook with the payload it sends, or 404. */
    @Transactional
    public DeliveryView delivery(UUID webhookId, UUID deliveryId) {
        return DeliveryView.of(requireDelivery(webhookId, deliveryId), true);
    }

    private WebhookDelivery requireDelivery(UUID webhookId, UUID deliveryId) {
        require(webhookId);
        WebhookDelivery delivery = WebhookDelivery.findById(deliveryId);
        if (delivery == null || !delivery.webhookId.equals(webhookId)) {
            throw ProblemException.notFound("delivery", deliveryId);
        }
        return delivery;
    }

    /**
     * Queues the payload of a finished delivery again, as a new delivery (new id, so a receiver that dedupes on
     * Loupe-Delivery processes it; {@code redeliveryOf} names the original). A PENDING delivery is still being
     * tried: 409.
     */
    @Transactional
    public DeliveryView redeliver(UUID webhookId, UUID deliveryId) {
        WebhookDelivery original = requireDelivery(webhookId, deliveryId);
        if (original.status == DeliveryStatus.PENDING) {
            throw ProblemException.conflict("delivery " + deliveryId + " is still pending (attempt " + original.attempts
                    + "); redeliver it once it is DELIVERED or FAILED");
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        INSERT INTO webhook_delivery (id, webhook_id, event_type, payload, status, attempts, next_attempt_at,
                                                      created_at, redelivery_of)
                        SELECT ?1, webhook_id, event_type, payload, 'PENDING', 0, now(), clock_timestamp(), id
                        FROM webhook_delivery WHERE id = ?2""")
                .setParameter(1, id).setParameter(2, deliveryId).executeUpdate();
        wakeWorkerAfterCommit();
        LOG.infof("Webhook delivery %s queued again as %s (webhook %s)", deliveryId, id, webhookId);
        return DeliveryView.of(WebhookDelivery.findById(id), false);
    }

    private static List<String> checkEvents(List<String> events, FieldErrors errors) {
        if (events == null || events.isEmpty()) {
            errors.add("events", "at least one event type is required: " + allowedEvents());
            return List.of();
        }
        List<String> subscribed = new ArrayList<>(new LinkedHashSet<>(events));
        for (int i = 0; i < events.size(); i++) {
            String event = events.get(i);
            errors.check(event == null || !(event.equals(ALL_EVENTS) || EVENT_TYPES.contains(event)),
                    "events[" + i + "]", "unknown event type " + event + "; one of " + allowedEvents());
        }
        return subscribed;
    }

    private static String allowedEvents() {
        return String.join(", ", EVENT_TYPES.stream().sorted().toList()) + " or " + ALL_EVENTS;
    }

    private void requireJson(String payloadJson) {
        if (payloadJson == null) {
            throw new IllegalArgumentException("payloadJson is required");
        }
        try {
            if (json.readTree(payloadJson).isMissingNode()) {
                throw new IllegalArgumentException("payloadJson is empty");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payloadJson is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private void wakeWorkerAfterCommit() {
        // observed by the worker after a successful commit only: a rolled-back delivery is never looked for
        queued.fire(new DeliveriesQueued());
    }
}
