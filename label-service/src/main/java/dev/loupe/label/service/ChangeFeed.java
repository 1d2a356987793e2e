package dev.loupe.label.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.label.config.LabelConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live feed of the web page: every item event of a project (added, relabelled, excluded, restored) as a
 * server-sent event, read from the service's own event log (the outbox table), so it works the same with one
 * replica or many and whether or not Kafka is reachable. Events carry their sequence as SSE id: a reconnecting
 * browser sends Last-Event-ID and gets what it missed.
 *
 * <p>Sequence numbers are taken before commit, so a transaction can commit a lower number after a higher one was
 * already read. The poller therefore rereads a window of recent numbers and remembers which it sent.
 */
@ApplicationScoped
public class ChangeFeed {

    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);
    private static final int WINDOW = 1000;
    private static final int REPLAY_LIMIT = 5000;

    private record Subscriber(UUID projectId, SseEventSink sink, Sse sse) {
    }

    private record Row(long id, String type, String payload, UUID projectId) {
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final LabelConfig config;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Set<Long> sent = ConcurrentHashMap.newKeySet();
    private volatile long high = -1;
    private ScheduledExecutorService poller;

    public ChangeFeed(EntityManager em, ObjectMapper json, LabelConfig config) {
        this.em = em;
        this.json = json;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("change-feed").daemon().factory());
        long every = Math.max(50, config.changesPollInterval().toMillis());
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
        poller.scheduleWithFixedDelay(this::heartbeat, 15, 15, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        poller.shutdownNow();
        subscribers.forEach(s -> s.sink().close());
    }

    /** Adds a browser; with {@code lastEventId} it first gets the project's events after that one. */
    public void subscribe(UUID projectId, SseEventSink sink, Sse sse, Long lastEventId) {
        Subscriber subscriber = new Subscriber(projectId, sink, sse);
        if (lastEventId != null) {
            for (Row row : rows("id > ?1 AND payload LIKE ?2 ORDER BY id LIMIT " + REPLAY_LIMIT, lastEventId, "%" + projectId + "%")) {
                if (projectId.equals(row.projectId())) send(subscriber, row);
            }
        }
        sink.send(sse.newEventBuilder().comment("connected").build());
        subscribers.add(subscriber);
    }

    private void poll() {
        try {
            if (high < 0) {
                Number max = (Number) QuarkusTransaction.requiringNew().call(() ->
                        em.createNativeQuery("SELECT COALESCE(MAX(id), 0) FROM outbox_event").getSingleResult());
                high = max.longValue();
                return;
            }
            if (subscribers.isEmpty()) {
                // nobody listens: keep the position current so the first listener does not get a backlog
                List<Row> latest = rows("id > ?1 ORDER BY id DESC LIMIT 1", high);
                if (!latest.isEmpty()) high = latest.getFirst().id();
                return;
            }
            for (Row row : rows("id > ?1 ORDER BY id LIMIT 2000", Math.max(0, high - WINDOW))) {
                if (!sent.add(row.id())) continue;
                high = Math.max(high, row.id());
                for (Subscriber s : subscribers) {
                    if (s.projectId().equals(row.projectId())) send(s, row);
                }
            }
            sent.removeIf(id -> id < high - 2 * WINDOW);
        } catch (RuntimeException e) {
            LOG.debugf("change feed poll failed: %s", e.getMessage());
        }
    }

    private void heartbeat() {
        for (Subscriber s : subscribers) {
            if (s.sink().isClosed()) {
                subscribers.remove(s);
            } else {
                s.sink().send(s.sse().newEventBuilder().comment("keep-alive").build())
                        .exceptionally(e -> { subscribers.remove(s); return null; });
            }
        }
    }

    private void send(Subscriber s, Row row) {
        if (s.sink().isClosed()) {
            subscribers.remove(s);
            return;
        }
        OutboundSseEvent event = s.sse().newEventBuilder().id(String.valueOf(row.id())).name(row.type())
                .mediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE).data(String.class, row.payload()).build();
        s.sink().send(event).exceptionally(e -> { subscribers.remove(s); return null; });
    }

    @SuppressWarnings("unchecked")
    private List<Row> rows(String where, Object... params) {
        List<Object[]> raw = QuarkusTransaction.requiringNew().call(() -> {
            var q = em.createNativeQuery("SELECT id, type, payload FROM outbox_event WHERE topic = 'loupe.items' AND " + where);
            for (int i = 0; i < params.length; i++) q.setParameter(i + 1, params[i]);
            return q.getResultList();
        });
        List<Row> rows = new ArrayList<>(raw.size());
        for (Object[] r : raw) {
            rows.add(new Row(((Number) r[0]).longValue(), (String) r[1], (String) r[2], projectOf((String) r[2])));
        }
        return rows;
    }

    private UUID projectOf(String payload) {
        try {
            JsonNode data = json.readTree(payload).path("data");
            return data.hasNonNull("projectId") ? UUID.fromString(data.get("projectId").asText()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Subscribers per project, for health and tests. */
    public Map<UUID, Integer> listeners() {
        Map<UUID, Integer> counts = new LinkedHashMap<>();
        subscribers.forEach(s -> counts.merge(s.projectId(), 1, Integer::sum));
        return counts;
    }
}
