package dev.loupe.embedding.event;

import dev.loupe.common.inbox.EventConsumerBean;
import dev.loupe.common.inbox.IdempotentConsumer;
import dev.loupe.common.inbox.ProcessedEvents;
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
import dev.loupe.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Reads {@code loupe.items} and keeps this service's view of items current, exactly once in effect. */
@ApplicationScoped
public class ItemEventsConsumer extends EventConsumerBean {

    private final ItemStateService state;
    private final EmbeddingWorker worker;
    private final ProjectAnalysis analysis;

    public ItemEventsConsumer(ItemStateService state, EmbeddingWorker worker, ProjectAnalysis analysis,
                              ProcessedEvents processed, EmbeddingConfig config,
                              @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        super(new IdempotentConsumer.Settings(bootstrap, config.consumerGroup(),
                List.of(Topics.ITEMS), 500, 3, Duration.ofSeconds(1)), processed);
        this.state = state;
        this.worker = worker;
        this.analysis = analysis;
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
