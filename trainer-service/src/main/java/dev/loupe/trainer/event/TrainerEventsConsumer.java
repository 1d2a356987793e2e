package dev.loupe.trainer.event;

import dev.loupe.common.inbox.Inbox;
import dev.loupe.common.inbox.InboxHandler;
import dev.loupe.events.DatasetVersionPublished;
import dev.loupe.events.EvaluationCancelRequested;
import dev.loupe.events.EvaluationRequested;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.LoupeEvent;
import dev.loupe.trainer.config.TrainerConfig;
import dev.loupe.trainer.domain.TrainingRun;
import dev.loupe.trainer.service.RunService;
import dev.loupe.trainer.service.TrainingWorker;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Reads {@code loupe.datasets} on the {@value #CHANNEL} channel, exactly once in effect through the {@link Inbox}:
 * every {@link DatasetVersionPublished} queues a run (when
 * {@code loupe.trainer.auto}; its id derives from the version, so a second announcement of the same version queues
 * nothing), every {@link EvaluationRequested} queues the run the dataset service already shows as QUEUED, and every
 * {@link EvaluationCancelRequested} cancels that run if it is still queued or running (else nothing happens: it ended,
 * or it was never requested here).
 */
@ApplicationScoped
public class TrainerEventsConsumer implements InboxHandler {

    /** The channel; its topic, group and dead-letter strategy are in application.properties. */
    public static final String CHANNEL = "dataset-versions";

    private final Inbox inbox;
    private final String group;
    private final RunService runs;
    private final TrainingWorker worker;
    private final TrainerConfig config;

    public TrainerEventsConsumer(Inbox inbox, RunService runs, TrainingWorker worker, TrainerConfig config) {
        this.inbox = inbox;
        this.group = config.consumerGroup();
        this.runs = runs;
        this.worker = worker;
        this.config = config;
    }

    /** The run a published version starts by itself: one per version, whoever sees the event. */
    public static UUID autoRunId(UUID versionId) {
        return UUID.nameUUIDFromBytes(("auto:" + versionId).getBytes(StandardCharsets.UTF_8));
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.process(group, batch, this);
    }

    @Override
    public void apply(List<EventEnvelope<LoupeEvent>> events) {
        for (EventEnvelope<LoupeEvent> envelope : events) {
            if (envelope.data() instanceof DatasetVersionPublished published && config.auto()) {
                runs.queue(autoRunId(published.versionId()), published.projectId(), published.versionId(),
                        TrainingRun.PUBLISHED, null, null, config.autoFolds(), published.by());
            } else if (envelope.data() instanceof EvaluationRequested requested) {
                runs.queue(requested.evaluationId(), requested.projectId(), requested.versionId(), TrainingRun.REQUESTED,
                        requested.epochs(), requested.seed(), requested.folds(), requested.repeats(), requested.by());
            } else if (envelope.data() instanceof EvaluationCancelRequested cancel) {
                runs.cancelIfActive(cancel.evaluationId(), cancel.by() + " (" + cancel.reason() + ")");
            }
        }
    }

    @Override
    public void afterCommit(List<EventEnvelope<LoupeEvent>> events) {
        for (EventEnvelope<LoupeEvent> envelope : events) {
            if (envelope.data() instanceof EvaluationCancelRequested cancel) {
                worker.cancel(cancel.evaluationId()); // if this replica trains it, it stops before its next batch
            }
        }
        worker.wake();
    }
}
