package dev.loupe.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of curation plans, {@code loupe.curation.*}. */
@ConfigMapping(prefix = "loupe.curation")
public interface CurationConfig {

    /** The image budget of a plan that names none (the competition's limit). */
    @WithDefault("10000")
    int defaultBudget();

    /** The largest budget a plan may have (422 above). */
    @WithDefault("100000")
    int maxBudget();

    /** Label issues at or above this confidence are relabelled by a plan that names no minConfidence. */
    @WithDefault("0.9")
    double defaultMinConfidence();

    /** Outliers scoring at least this are excluded (robust z of the neighbour distance; blank/dark pages 100+). */
    @WithDefault("5.0")
    double outlierMinScore();

    /** At most this share of the items (rounded up) is excluded by one plan. */
    @WithDefault("0.02")
    double excludeMaxShare();

    /** The augment service's loupe.augment.max-copies-per-item. */
    @WithDefault("100")
    int maxCopiesPerItem();

    /** The seed of the jobs a plan starts. */
    @WithDefault("42")
    long seed();

    /** Longest an applied plan waits for one augmentation or recipe job. */
    @WithDefault("PT30M")
    Duration jobWait();

    /** Longest an applied plan waits for the split to include all its changes. */
    @WithDefault("PT5M")
    Duration splitWait();

    /** Plans applied at once (each mostly waits for other services). */
    @WithDefault("2")
    int applyThreads();

    /**
     * How long a replica holds a plan it applies without renewing (it renews every quarter of it): a plan whose
     * replica is gone is failed this long after its last renewal at the latest.
     */
    @WithDefault("PT2M")
    Duration applyLease();
}
