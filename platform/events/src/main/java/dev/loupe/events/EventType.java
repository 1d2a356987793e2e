package dev.loupe.events;

import java.util.Arrays;
import java.util.Optional;

/** The registry of event types: wire name, payload class, topic and schema version. */
public enum EventType {
    ITEM_ADDED("dev.loupe.item.added", ItemAdded.class, Topics.ITEMS, 1),
    ITEM_LABEL_CHANGED("dev.loupe.item.label-changed", ItemLabelChanged.class, Topics.ITEMS, 1),
    ITEM_EXCLUDED("dev.loupe.item.excluded", ItemExcluded.class, Topics.ITEMS, 1),
    ITEM_RESTORED("dev.loupe.item.restored", ItemRestored.class, Topics.ITEMS, 1),
    EMBEDDINGS_UPDATED("dev.loupe.embeddings.updated", EmbeddingsUpdated.class, Topics.EMBEDDINGS, 1),
    SPLIT_REFRESHED("dev.loupe.split.refreshed", SplitRefreshed.class, Topics.SPLITS, 1),
    DATASET_VERSION_PUBLISHED("dev.loupe.dataset.version-published", DatasetVersionPublished.class, Topics.DATASETS, 1),
    EVALUATION_REQUESTED("dev.loupe.dataset.evaluation-requested", EvaluationRequested.class, Topics.DATASETS, 1),
    EVALUATION_CANCEL_REQUESTED("dev.loupe.dataset.evaluation-cancel-requested", EvaluationCancelRequested.class,
            Topics.DATASETS, 1),
    MODEL_EVALUATED("dev.loupe.model.evaluated", ModelEvaluated.class, Topics.EVALUATIONS, 1),
    ACCESS_CHANGED("dev.loupe.access.changed", AccessChanged.class, Topics.ACCESS, 1);

    private final String wireName;
    private final Class<? extends LoupeEvent> payloadType;
    private final String topic;
    private final int dataVersion;

    EventType(String wireName, Class<? extends LoupeEvent> payloadType, String topic, int dataVersion) {
        this.wireName = wireName;
        this.payloadType = payloadType;
        this.topic = topic;
        this.dataVersion = dataVersion;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends LoupeEvent> payloadType() {
        return payloadType;
    }

    public String topic() {
        return topic;
    }

    public int dataVersion() {
        return dataVersion;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static EventType of(LoupeEvent event) {
        return Arrays.stream(values()).filter(t -> t.payloadType == event.getClass()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unregistered event class " + event.getClass()));
    }
}
