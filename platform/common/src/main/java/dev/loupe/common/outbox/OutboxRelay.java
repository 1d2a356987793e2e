package dev.loupe.common.outbox;

import dev.loupe.common.worker.BackgroundWorker;
import dev.loupe.events.EventCodec;
import dev.loupe.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes committed outbox rows to Kafka in sequence order and marks them published.
 *
 * <p>At-least-once by design: a row is marked only after the broker acknowledged it (acks=all, idempotent
 * producer), so a crash or a broker outage between send and mark re-sends it later. Consumers make that exactly
 * once in effect by recording event ids ({@code ProcessedEvents}) and ignoring versions they already applied.
 * One relay at a time across the replicas of a service, through a transaction-scoped advisory lock keyed by
 * the service's schema.</p>
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /**
     * Takes the relay's leadership for the current transaction: the two-int advisory lock (class "Loup", the hash of
     * the schema). The services share one database, so a single key would let one service's relay hold off all the
     * others; keyed per schema, only replicas of the same service exclude each other.
     */
    public static final String TRY_LEAD_SQL =
            "SELECT pg_try_advisory_xact_lock(" + 0x4C6F7570 + ", hashtext(current_schema()))";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final EntityManager em;
    private final OutboxConfig config;
    private final String bootstrapServers;
    /** Security settings shared with the service's Kafka channels ({@code kafka.security.protocol}, SASL). */
    private final Map<String, Object> connection;
    private final AtomicLong published = new AtomicLong();
    private final BackgroundWorker worker;

    private volatile boolean topicsReady;
    /** Opened by the worker's first round, closed when its thread ends: only that thread uses it. */
    private KafkaProducer<String, String> producer;

    public OutboxRelay(EntityManager em, OutboxConfig config,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                       @ConfigProperty(name = "kafka.security.protocol", defaultValue = "PLAINTEXT") String securityProtocol,
                       @ConfigProperty(name = "kafka.sasl.mechanism") java.util.Optional<String> saslMechanism,
                       @ConfigProperty(name = "kafka.sasl.jaas.config") java.util.Optional<String> saslJaasConfig,
                       MeterRegistry registry) {
        this.em = em;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        // the relay's own producer and admin client sign in like the service's channels (SCRAM users in deploy/)
        Map<String, Object> connection = new java.util.HashMap<>();
        connection.put("security.protocol", securityProtocol);
        if (!"PLAINTEXT".equalsIgnoreCase(securityProtocol)) {
            saslMechanism.filter(v -> !v.isBlank()).ifPresent(v -> connection.put("sasl.mechanism", v));
            saslJaasConfig.filter(v -> !v.isBlank()).ifPresent(v -> connection.put("sasl.jaas.config", v));
        }
        this.connection = Map.copyOf(connection);
        this.worker = BackgroundWorker.builder("outbox-relay", () -> {
                    ensureTopics();
                    return relayOnce() >= config.batchSize();
                })
                .pollInterval(config.pollInterval())
                .backoff(config.retryBackoff(), config.retryBackoffMax())
                .stopTimeout(SEND_TIMEOUT.plusSeconds(5))
                .onExit(this::closeProducer)
                .metrics(registry)
                .build();
    }

    void onStart(@Observes StartupEvent event) {
        if (config.relayEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the relay thread (idempotent). */
    public synchronized void start() {
        if (!worker.isRunning()) {
            worker.start();
            LOG.infof("Outbox relay started (bootstrap %s)", bootstrapServers);
        }
    }

    /** Stops the relay thread and closes its producer; unsent rows stay in the outbox for the next start. */
    public synchronized void stop() {
        if (worker.isRunning()) {
            worker.stop();
            LOG.info("Outbox relay stopped");
        }
    }

    public boolean isRunning() {
        return worker.isRunning();
    }

    /** Called after a commit that wrote events, so they go out without waiting for the poll interval. */
    public void wake() {
        worker.wake();
    }

    /** Events this instance has published since start. */
    public long publishedCount() {
        return published.get();
    }

    /** The last failure of a relay round, or null when the last round succeeded. */
    public String lastError() {
        return worker.lastError();
    }

    /** Rows waiting to be published. */
    public long backlog() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM outbox_event WHERE published_at IS NULL").getSingleResult()).longValue());
    }

    /** One round: lock, read a batch in sequence order, send, wait for acks, mark the acknowledged prefix. */
    int relayOnce() {
        if (producer == null) {
            producer = newProducer();
        }
        return QuarkusTransaction.requiringNew().timeout((int) SEND_TIMEOUT.toSeconds() + 30).call(() -> {
            Boolean leader = (Boolean) em.createNativeQuery(TRY_LEAD_SQL).getSingleResult();
            if (!Boolean.TRUE.equals(leader)) {
                return 0;
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            SELECT id, topic, msg_key, payload FROM outbox_event
                            WHERE published_at IS NULL ORDER BY id LIMIT ?1""")
                    .setParameter(1, config.batchSize())
                    .getResultList();
            if (rows.isEmpty()) {
                return 0;
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                acks.add(producer.send(cloudEvent((String) row[1], (String) row[2], (String) row[3])));
            }
            producer.flush();
            List<Long> done = new ArrayList<>(rows.size());
            Exception failure = null;
            for (int i = 0; i < rows.size(); i++) {
                try {
                    acks.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    done.add(((Number) rows.get(i)[0]).longValue());
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // Only the acknowledged prefix is marked, so the rest is re-sent in order next round.
                    failure = e;
                    break;
                }
            }
            if (!done.isEmpty()) {
                em.createNativeQuery("UPDATE outbox_event SET published_at = ?1 WHERE id IN (?2)")
                        .setParameter(1, Instant.now())
                        .setParameter(2, done)
                        .executeUpdate();
                published.addAndGet(done.size());
            }
            if (failure != null) {
                if (done.isEmpty()) {
                    throw new IllegalStateException("publishing outbox event " + rows.getFirst()[0] + " failed", failure);
                }
                LOG.warnf("Outbox relay published %d of %d events, retrying the rest: %s", done.size(), rows.size(),
                        failure.getMessage());
            }
            return done.size();
        });
    }

    /** A structured-mode CloudEvent: the payload is the whole event, the content-type header says so. */
    static ProducerRecord<String, String> cloudEvent(String topic, String key, String payload) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, payload);
        record.headers().add("content-type", EventCodec.CONTENT_TYPE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return record;
    }

    /** Deletes published rows older than the retention; called by the owning service's scheduler or tests. */
    public int purgePublished() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "DELETE FROM outbox_event WHERE published_at IS NOT NULL AND published_at < ?1")
                .setParameter(1, Instant.now().minus(config.retention()))
                .executeUpdate());
    }

    private void ensureTopics() throws Exception {
        if (topicsReady) {
            return;
        }
        Map<String, Object> adminConfig = new java.util.HashMap<>(connection);
        adminConfig.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
        try (Admin admin = Admin.create(adminConfig)) {
            List<NewTopic> topics = Topics.ALL.stream()
                    .map(t -> new NewTopic(t, config.topicPartitions(), config.topicReplicationFactor()))
                    .toList();
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        topicsReady = true;
    }

    private KafkaProducer<String, String> newProducer() {
        Map<String, Object> producerConfig = new java.util.HashMap<>(connection);
        producerConfig.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() - 1_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                // without the broker, send() waits for metadata; fail the round soon and retry instead
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.CLIENT_ID_CONFIG, config.source() + "-outbox"));
        return new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
