package dev.loupe.dataset.event;

import dev.loupe.common.inbox.EventConsumerBean;
import dev.loupe.common.inbox.IdempotentConsumer;
import dev.loupe.common.inbox.ProcessedEvents;
import dev.loupe.dataset.config.DatasetConfig;
import dev.loupe.dataset.split.ItemStateService;
import dev.loupe.dataset.split.SplitRefresher;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.LoupeEvent;
import dev.loupe.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.List;

/**
 * Reads {@code loupe.items} (labels, exclusions, new items), {@code loupe.embeddings} (new vectors, so new style
 * clusters and near duplicates) and {@code loupe.evaluations} (the trainer's results), exactly once in effect, and
 * wakes the split refresher after each commit.
 */
@ApplicationScoped
public class DatasetEventsConsumer extends EventConsumerBean {

    private final ItemStateService state;
    private final dev.loupe.dataset.evaluation.EvaluationService evaluations;
    private final SplitRefresher refresher;

    public DatasetEventsConsumer(ItemStateService state, dev.loupe.dataset.evaluation.EvaluationService evaluations,
                                 SplitRefresher refresher, ProcessedEvents processed, DatasetConfig config,
                                 @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        super(new IdempotentConsumer.Settings(bootstrap, config.consumerGroup(),
                List.of(Topics.ITEMS, Topics.EMBEDDINGS, Topics.EVALUATIONS), 500, 3, Duration.ofSeconds(1)), processed);
        this.state = state;
        this.evaluations = evaluations;
        this.refresher = refresher;
    }

    @Override
    public void apply(List<EventEnvelope<LoupeEvent>> events) {
        state.apply(events);
        for (EventEnvelope<LoupeEvent> envelope : events) {
            if (envelope.data() instanceof dev.loupe.events.ModelEvaluated evaluated) {
                evaluations.apply(evaluated);
            }
        }
    }

    @Override
    public void afterCommit(List<EventEnvelope<LoupeEvent>> events) {
        refresher.wake();
    }
}
