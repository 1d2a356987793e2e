package dev.loupe.augment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the augment service, {@code loupe.augment.*}. */
@ConfigMapping(prefix = "loupe.augment")
public interface AugmentConfig {

    /** Where items are read and new items are added (its typed client reads this: quarkus.rest-client.label-service.url). */
    String labelServiceUrl();

    /** Where findings and style clusters are read for suggestions (quarkus.rest-client.embedding-service.url). */
    String embeddingServiceUrl();

    /** Most images one job (augmentation or recipe) may create; larger requests are refused with 422. */
    @WithDefault("10000")
    int maxJobImages();

    /** Most copies per item in one augmentation job. */
    @WithDefault("100")
    int maxCopiesPerItem();

    /** Jobs running at once; each works through its images in batches. */
    @WithDefault("2")
    int workers();

    /** Images a job handles per batch (fetched concurrently, progress saved after each batch). */
    @WithDefault("32")
    int batchSize();

    /** Tries per image before it counts as failed (a retry call tries failed images again). */
    @WithDefault("3")
    int maxAttempts();
}
