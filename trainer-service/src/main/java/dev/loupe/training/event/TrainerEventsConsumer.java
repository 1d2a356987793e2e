package dev.loupe.training.event;

import dev.loupe.common.inbox.EventConsumerBean;
import dev.loupe.common.inbox.IdempotentConsumer;
import dev.loupe.common.inbox.ProcessedEvents;
import dev.loupe.events.DatasetVersionPublished;
import dev.loupe.events.EvaluationRequested;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.LoupeEvent;
import dev.loupe.events.Topics;
import dev.loupe.training.config.TrainerConfig;
import dev.loupe.training.domain.TrainingRun;
import dev.loupe.training.service.RunService;
import dev.loupe.training.service.TrainingWorker;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Reads {@code loupe.datasets}, exactly once in effect: every {@link DatasetVersionPublished} queues a run (when
 * {@code loupe.trainer.auto}; its id derives from the version, so a second announcement of the same version queues
 * nothing), every {@link EvaluationRequested} queues the run the dataset service already shows as QUEUED.
 */
@ApplicationScoped
public class TrainerEventsConsumer extends EventConsumerBean {

    private final RunService runs;
    private final TrainingWorker worker;
    private final TrainerConfig config;

    public TrainerEventsConsumer(RunService runs, TrainingWorker worker, ProcessedEvents processed, TrainerConfig config,
                                 @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        super(new IdempotentConsumer.Settings(bootstrap, config.consumerGroup(),
                List.of(Topics.DATASETS), 100, 3, Duration.ofSeconds(1)), processed);
        this.runs = runs;
        this.worker = worker;
        this.config = config;
    }

    /** The run a published version starts by itself: one per version, whoever sees the event. */
    public static UUID autoRunId(UUID versionId) {
        return UUID.nameUUIDFromBytes(("auto:" + versionId).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void apply(List<EventEnvelope<LoupeEvent>> events) {
        for (EventEnvelope<LoupeEvent> envelope : events) {
            if (envelope.data() instanceof DatasetVersionPublished published && config.auto()) {
                runs.queue(autoRunId(published.versionId()), published.projectId(), published.versionId(),
                        TrainingRun.PUBLISHED, null, null, config.autoFolds(), published.by());
            } else if (envelope.data() instanceof EvaluationRequested requested) {
                runs.queue(requested.evaluationId(), requested.projectId(), requested.versionId(), TrainingRun.REQUESTED,
                        requested.epochs(), requested.seed(), requested.folds(), requested.by());
            }
        }
    }

    @Override
    public void afterCommit(List<EventEnvelope<LoupeEvent>> events) {
        worker.wake();
    }
}
