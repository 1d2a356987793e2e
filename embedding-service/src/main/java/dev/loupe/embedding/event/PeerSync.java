package dev.loupe.embedding.event;

import dev.loupe.embedding.config.EmbeddingConfig;
import dev.loupe.embedding.service.ProjectAnalysis;
import dev.loupe.events.EmbeddingsUpdated;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EventEnvelope;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's in-memory projects (map, neighbours, findings, clusters) current with what the other replicas
 * do. The item events are shared out among the replicas of the consumer group, so each replica applies only some of
 * them; every change they make is announced as {@code EmbeddingsUpdated}, which every replica reads here on the
 * {@value #CHANNEL} channel, in a consumer group of its own, from the end of the topic (a replica that starts loads
 * its projects from the database, so nothing before its start matters and no offset is committed). Reading its own
 * announcements back costs one re-read of those items. An announcement that cannot be read is skipped: the next one
 * for the project carries the change again, and the database stays the record.
 */
@ApplicationScoped
public class PeerSync {

    /** The channel; a group per replica ({@code ${quarkus.uuid}}), see application.properties. */
    public static final String CHANNEL = "peer-embeddings";

    private static final Logger LOG = Logger.getLogger(PeerSync.class);

    private final ProjectAnalysis analysis;
    private final boolean enabled;
    private final EventCodec codec = new EventCodec();

    public PeerSync(ProjectAnalysis analysis, EmbeddingConfig config) {
        this.analysis = analysis;
        this.enabled = config.peerSync();
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(String json) {
        if (!enabled) {
            return;
        }
        try {
            EventEnvelope<?> envelope = codec.decode(json);
            if (envelope.data() instanceof EmbeddingsUpdated updated) {
                analysis.peerChanged(updated.projectId(), updated.itemIds());
            }
        } catch (RuntimeException e) {
            LOG.debugf("Peer sync skipped an announcement: %s", e.getMessage());
        }
    }
}
