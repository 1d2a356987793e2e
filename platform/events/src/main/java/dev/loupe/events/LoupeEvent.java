package dev.loupe.events;

import java.util.UUID;

/** The payload of an event envelope. Every implementation is registered in {@link EventType}. */
public sealed interface LoupeEvent permits ItemEvent, EmbeddingsUpdated, SplitRefreshed, DatasetVersionPublished,
        EvaluationRequested, EvaluationCancelRequested, ModelEvaluated, AccessChanged {

    UUID projectId();

    /** The aggregate the event is about; it becomes the envelope subject and the Kafka key. */
    UUID subject();
}
