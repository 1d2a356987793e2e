package dev.loupe.events;

import java.util.List;

/** Kafka topic names. Records are keyed by the aggregate id (item id, project id) so order holds per aggregate. */
public final class Topics {
    /** Item lifecycle and label changes from the label service, keyed by item id. */
    public static final String ITEMS = "loupe.items";
    /** Embedding updates from the embedding service, keyed by project id. */
    public static final String EMBEDDINGS = "loupe.embeddings";
    /** Split refreshes from the dataset service, keyed by project id. */
    public static final String SPLITS = "loupe.splits";
    /** Published dataset versions, keyed by project id. */
    public static final String DATASETS = "loupe.datasets";

    /** States of model evaluations from the trainer, keyed by evaluation id. */
    public static final String EVALUATIONS = "loupe.evaluations";

    /** Access changes (memberships, accounts, sessions, tokens) from the label service, keyed by user id. */
    public static final String ACCESS = "loupe.access";

    public static final List<String> ALL = List.of(ITEMS, EMBEDDINGS, SPLITS, DATASETS, EVALUATIONS, ACCESS);

    private Topics() {
    }

    /** The dead-letter topic of one consumer group on one topic. */
    public static String deadLetter(String topic, String consumerGroup) {
        return topic + "." + consumerGroup + ".dlq";
    }
}
