package dev.loupe.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the dataset service, {@code loupe.dataset.*}. */
@ConfigMapping(prefix = "loupe.dataset")
public interface DatasetConfig {

    /** Where image bytes are read for exports (its typed client reads this: quarkus.rest-client.label-service.url). */
    String labelServiceUrl();

    /** Where style clusters and near duplicates are read for splits (quarkus.rest-client.embedding-service.url). */
    String embeddingServiceUrl();

    /** Where curation plans read augment suggestions and start jobs (quarkus.rest-client.augment-service.url). */
    String augmentServiceUrl();

    /** Kafka consumer group of this service. */
    @WithDefault("dataset-service")
    String consumerGroup();

    /** Quiet time after the last change before a project's split is refreshed. */
    @WithDefault("PT0.1S")
    Duration refreshDebounce();

    /** Longest a change waits for its refresh while changes keep coming. */
    @WithDefault("PT1S")
    Duration refreshMaxDelay();

    /** The split of a project nobody configured yet. */
    @WithDefault("stratified")
    String defaultStrategy();

    @WithDefault("0.2")
    double defaultValFraction();

    @WithDefault("42")
    long defaultSeed();

    /** Longest a request for a split that includes a given change waits. */
    @WithDefault("PT60S")
    Duration maxWait();

    /** Image downloads from the label service running at once during an export. */
    @WithDefault("8")
    int exportConcurrency();

    /**
     * Evaluations a project may have queued or running at once: one more request answers 429 (the trainer refuses such
     * a request too: both read LOUPE_TRAINER_MAX_ACTIVE_RUNS_PER_PROJECT).
     */
    @WithDefault("3")
    int evaluationMaxActivePerProject();

    /**
     * Most epochs a requested evaluation may train, epochs x (1 + folds): more answers 422 (the trainer's
     * LOUPE_TRAINER_MAX_TRAINING_EPOCHS).
     */
    @WithDefault("600")
    int evaluationMaxTrainingEpochs();

    /** The trainer's epochs when a request does not say (LOUPE_TRAINER_EPOCHS), to judge such a request. */
    @WithDefault("100")
    int evaluationDefaultEpochs();
}
