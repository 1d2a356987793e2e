package dev.loupe.embedding.event;

import dev.loupe.embedding.config.EmbeddingConfig;
import dev.loupe.embedding.service.ProjectAnalysis;
import dev.loupe.events.EmbeddingsUpdated;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps this replica's in-memory projects (map, neighbours, findings, clusters) current with what the other replicas
 * do. The item events are shared out among the replicas of the consumer group, so each replica applies only some of
 * them; every change they make is announced as {@code EmbeddingsUpdated}, which every replica reads here in a group of
 * its own (from the end of the topic: a replica that starts loads its projects from the database). Reading its own
 * announcements back costs one re-read of those items.
 */
@ApplicationScoped
public class PeerSync {

    private static final Logger LOG = Logger.getLogger(PeerSync.class);

    private final ProjectAnalysis analysis;
    private final EmbeddingConfig config;
    private final String bootstrap;
    private final EventCodec codec = new EventCodec();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private Thread thread;

    public PeerSync(ProjectAnalysis analysis, EmbeddingConfig config,
                    @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.analysis = analysis;
        this.config = config;
        this.bootstrap = bootstrap;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.peerSync()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("loupe-peer-sync").daemon().start(this::loop);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5000);
        }
    }

    private void loop() {
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup() + "-peers-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
                consumer = c;
                c.subscribe(List.of(Topics.EMBEDDINGS));
                while (running) {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofSeconds(1))) {
                        apply(record);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Peer sync interrupted (%s); reconnecting", e.getMessage());
                sleep();
            }
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        try {
            EventEnvelope<?> envelope = codec.decode(record.value());
            if (envelope.data() instanceof EmbeddingsUpdated updated) {
                analysis.peerChanged(updated.projectId(), updated.itemIds());
            }
        } catch (RuntimeException e) {
            LOG.debugf("Peer sync skipped %s/%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
