package dev.loupe.dataset.event;

import dev.loupe.common.inbox.Inbox;
import dev.loupe.common.inbox.InboxHandler;
import dev.loupe.dataset.config.DatasetConfig;
import dev.loupe.dataset.evaluation.EvaluationService;
import dev.loupe.dataset.split.ItemStateService;
import dev.loupe.dataset.split.SplitRefresher;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.LoupeEvent;
import dev.loupe.events.ModelEvaluated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Reads {@code loupe.items} (labels, exclusions, new items), {@code loupe.embeddings} (new vectors, so new style
 * clusters and near duplicates) and {@code loupe.evaluations} (the trainer's results) on the {@value #CHANNEL}
 * channel, exactly once in effect through the {@link Inbox}, and wakes the split refresher after each commit.
 */
@ApplicationScoped
public class DatasetEventsConsumer implements InboxHandler {

    /** The channel; its topics, group and dead-letter strategy are in application.properties. */
    public static final String CHANNEL = "dataset-events";

    private final Inbox inbox;
    private final String group;
    private final ItemStateService state;
    private final EvaluationService evaluations;
    private final SplitRefresher refresher;

    public DatasetEventsConsumer(Inbox inbox, DatasetConfig config, ItemStateService state,
                                 EvaluationService evaluations, SplitRefresher refresher) {
        this.inbox = inbox;
        this.group = config.consumerGroup();
        this.state = state;
        this.evaluations = evaluations;
        this.refresher = refresher;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.process(group, batch, this);
    }

    @Override
    public void apply(List<EventEnvelope<LoupeEvent>> events) {
        state.apply(events);
        for (EventEnvelope<LoupeEvent> envelope : events) {
            if (envelope.data() instanceof ModelEvaluated evaluated) {
                evaluations.apply(evaluated);
            }
        }
    }

    @Override
    public void afterCommit(List<EventEnvelope<LoupeEvent>> events) {
        refresher.wake();
    }
}
