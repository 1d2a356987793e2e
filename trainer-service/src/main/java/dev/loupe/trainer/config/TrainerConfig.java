package dev.loupe.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the trainer service, {@code loupe.trainer.*}. */
@ConfigMapping(prefix = "loupe.trainer")
public interface TrainerConfig {

    /** Where versions and their ImageFolder exports are read (its typed client reads this: quarkus.rest-client.dataset-service.url). */
    String datasetServiceUrl();

    /** Where projects' classes are read to check a test folder (quarkus.rest-client.label-service.url). */
    String labelServiceUrl();

    /** Where out-of-fold predictions are handed to the label-issue finder (quarkus.rest-client.embedding-service.url). */
    String embeddingServiceUrl();

    /** Kafka consumer group of this service. */
    @WithDefault("trainer-service")
    String consumerGroup();

    /** Train on every published version (DatasetVersionPublished), not only on request. */
    @WithDefault("true")
    boolean auto();

    /** Out-of-fold predictions for automatic runs too (k folds; 0 = only when a request asks). */
    @WithDefault("0")
    int autoFolds();

    /** Epochs when a request does not say (the competition's train.py: 100). */
    @WithDefault("100")
    int epochs();

    /** Seed when a request does not say (train.py: 123). */
    @WithDefault("123")
    long seed();

    /** PyTorch intra-op threads; 0 = one per core. */
    @WithDefault("0")
    int threads();

    /**
     * A test ImageFolder scored after every run whose classes match it (e.g. the competition's label book); a
     * project's own test folder ({@code PUT /api/projects/{id}/test-folder}) takes precedence.
     */
    Optional<String> testFolder();

    /**
     * Directories a project's test folder must be under, judged on its real path (comma separated; by default the data
     * directory, {@code LOUPE_DATA_DIR}); none: projects cannot set a test folder.
     */
    Optional<List<String>> testFolderRoots();

    /**
     * Evaluations a project may have queued or running at once (automatic ones count too); a requested one beyond it
     * is refused (FAILED with {@code QUOTA_EXCEEDED}) instead of queued.
     */
    @WithDefault("3")
    int maxActiveRunsPerProject();

    /**
     * Most epochs one requested run may train: epochs x (1 + folds), the main training plus one training per fold;
     * a request beyond it is refused (FAILED with {@code QUOTA_EXCEEDED}).
     */
    @WithDefault("600")
    int maxTrainingEpochs();

    /** Where version exports are downloaded while a run trains on them. */
    @WithDefault("${java.io.tmpdir}/loupe-training")
    String workDir();

    /**
     * How long a run stays this replica's without a sign of life before another replica may take it over (renewed
     * every quarter of it while training, so only a dead replica loses its run).
     */
    @WithDefault("PT2M")
    Duration lease();

    /** How often the worker looks for queued runs when nothing woke it. */
    @WithDefault("PT5S")
    Duration pollInterval();

    /** A run whose inputs could not be fetched (a service down) is retried this often before it fails. */
    @WithDefault("5")
    int maxAttempts();

    /** Wait before such a retry. */
    @WithDefault("PT30S")
    Duration retryBackoff();
}
