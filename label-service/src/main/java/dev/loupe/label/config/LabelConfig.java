package dev.loupe.label.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Settings of the label service ({@code loupe.label.*}, or {@code LOUPE_LABEL_*} in the environment). */
@ConfigMapping(prefix = "loupe.label")
public interface LabelConfig {

    /** Largest image accepted, in pixels (width x height), checked before decoding. */
    @WithDefault("40000000")
    long maxImagePixels();

    /** Largest image file accepted, in bytes. */
    @WithDefault("33554432")
    long maxImageBytes();

    /** Most items one bulk relabel may change. */
    @WithDefault("10000")
    int maxBulkChanges();

    Imports imports();

    /** Limits of archive and folder imports. */
    interface Imports {
        /** Most files one archive may hold (a zip bomb by entry count is refused). */
        @WithDefault("200000")
        int maxEntries();

        /** Most bytes an archive may expand to in total. */
        @WithDefault("8589934592")
        long maxTotalBytes();

        /** Largest expansion ratio of one entry bigger than 1 MiB. */
        @WithDefault("100")
        int maxCompressionRatio();

        /** Images per database transaction while importing. */
        @WithDefault("200")
        int batchSize();

        /** Server folders that folder imports may read (absent: folder imports are off). */
        Optional<List<String>> folderRoots();
    }
}
