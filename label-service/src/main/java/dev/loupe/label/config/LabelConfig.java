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

    Ui ui();

    Blobs blobs();

    /** Where image bytes live (README "Blob stores"); one store per deployment. */
    interface Blobs {
        /**
         * Where new images go. {@code postgres}: the bytes in the database's {@code label.blob} table; {@code s3}: in
         * an S3-compatible bucket. Images already stored stay readable wherever their row says they are.
         */
        @WithDefault("postgres")
        Store store();

        S3 s3();

        enum Store {
            POSTGRES, S3
        }

        /** The bucket of {@code store=s3}; credentials come from here (or the AWS default chain), never from requests. */
        interface S3 extends S3Connection {
            /**
             * The bucket is used (read, and written by migrations) even when new images go to the database; implied
             * by {@code store=s3}.
             */
            @WithDefault("false")
            boolean enabled();

            /**
             * Reads that ask for it ({@code ?redirect=true}, which the web page's images add) answer a redirect to a
             * short-lived presigned URL of the object instead of the bytes; REST clients keep getting the bytes.
             */
            @WithDefault("false")
            boolean presign();

            /** How long a presigned URL works. */
            @WithDefault("PT5M")
            java.time.Duration presignTtl();

            /** The endpoint as browsers reach it, for presigned URLs (e.g. {@code http://localhost:9000}); absent: {@link #endpoint()}. */
            Optional<java.net.URI> publicEndpoint();

            @WithDefault("loupe-images")
            String bucket();

            /** Creates the bucket at startup when it is missing (off where the service may not create buckets). */
            @WithDefault("true")
            boolean createBucket();
        }
    }

    /**
     * Where the web page (served at {@code /}) finds the other services, as the browser sees them; unset, the page
     * uses its own host name with ports 8082 (embedding), 8083 (augment) and 8084 (dataset).
     */
    interface Ui {
        Optional<String> embeddingUrl();

        Optional<String> augmentUrl();

        Optional<String> datasetUrl();
    }

    /** How the page's live feed polls the event log ({@code GET /api/projects/{id}/changes}). */
    @WithDefault("PT0.25S")
    java.time.Duration changesPollInterval();

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

        /** Buckets that imports by reference read ({@code {"source": "s3://..."}} and manifests). */
        S3 s3();

        /** The object store imports by reference read, and which of its buckets they may read. */
        interface S3 extends S3Connection {
            /** The buckets imports may read; absent or empty: imports by reference are off. */
            Optional<List<String>> buckets();

            /** Largest manifest CSV read, in bytes (its rows are bounded by {@code max-entries} too). */
            @WithDefault("67108864")
            long maxManifestBytes();
        }
    }
}
