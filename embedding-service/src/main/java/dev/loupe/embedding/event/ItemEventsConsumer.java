package dev.loupe.embedding.event;

import dev.loupe.common.inbox.Inbox;
import dev.loupe.common.inbox.InboxHandler;
import dev.loupe.embedding.config.EmbeddingConfig;
import dev.loupe.embedding.service.EmbeddingWorker;
import dev.loupe.embedding.service.ItemStateService;
import dev.loupe.embedding.service.ProjectAnalysis;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.ItemAdded;
import dev.loupe.events.ItemEvent;
import dev.loupe.events.ItemExcluded;
import dev.loupe.events.ItemRestored;
import dev.loupe.events.LoupeEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Reads {@code loupe.items} on the {@value #CHANNEL} channel and keeps this service's view of items current, exactly
 * once in effect through the {@link Inbox}. The replicas of the service share the topic's partitions (one group).
 */
@ApplicationScoped
public class ItemEventsConsumer implements InboxHandler {

    /** The channel; its topic, group and dead-letter strategy are in application.properties. */
    public static final String CHANNEL = "item-events";

    private final Inbox inbox;
    private final String group;
    private final ItemStateService state;
    private final EmbeddingWorker worker;
    private final ProjectAnalysis analysis;

    public ItemEventsConsumer(Inbox inbox, EmbeddingConfig config, ItemStateService state, EmbeddingWorker worker,
                              ProjectAnalysis analysis) {
        this.inbox = inbox;
        this.group = config.consumerGroup();
        this.state = state;
        this.worker = worker;
        this.analysis = analysis;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.process(group, batch, this);
    }

    @Override
    public void apply(List<EventEnvelope<LoupeEvent>> events) {
        state.apply(events);
    }

    @Override
    public void afterCommit(List<EventEnvelope<LoupeEvent>> events) {
        Map<UUID, Set<UUID>> membership = new HashMap<>();
        Map<UUID, Set<UUID>> labels = new HashMap<>();
        for (EventEnvelope<LoupeEvent> envelope : events) {
            if (envelope.data() instanceof ItemEvent item) {
                var target = item instanceof ItemAdded || item instanceof ItemExcluded || item instanceof ItemRestored
                        ? membership : labels;
                target.computeIfAbsent(item.projectId(), p -> new HashSet<>()).add(item.itemId());
            }
        }
        membership.forEach(analysis::itemsChanged);
        labels.forEach(analysis::labelsChanged);
        worker.wake();
    }
}
