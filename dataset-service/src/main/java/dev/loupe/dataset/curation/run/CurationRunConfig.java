package dev.loupe.dataset.curation.run;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of automatic curation runs, {@code loupe.curation-runs.*}. */
@ConfigMapping(prefix = "loupe.curation-runs")
public interface CurationRunConfig {

    /** How often the worker looks whether an active run's plan or evaluation moved on (a start or cancel wakes it). */
    @WithDefault("PT2S")
    Duration pollInterval();
}
