package dev.loupe.embedding.config;

import dev.loupe.embedding.analysis.ProjectSnapshot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the embedding service ({@code loupe.embedding.*}, or {@code LOUPE_EMBEDDING_*}). */
@ConfigMapping(prefix = "loupe.embedding")
public interface EmbeddingConfig {

    /** A TorchScript file to use instead of the shipped model; absent: Loupe's glyphnet-v1. */
    Optional<String> model();

    /** Id of a configured model (letters, digits, . _ -); stored with every vector. */
    @WithDefault("custom")
    String modelId();

    @WithDefault("1")
    String modelVersion();

    /** 1 (gray) or 3 (RGB or gray replicated). */
    @WithDefault("1")
    int inputChannels();

    /** S of the C x S x S input. */
    @WithDefault("64")
    int inputSize();

    /** gray or rgb. */
    @WithDefault("gray")
    String color();

    /** Per-channel mean after 1 - v/255, e.g. 0.5,0.5,0.5 (absent: none). */
    Optional<List<Float>> normalizationMean();

    Optional<List<Float>> normalizationStd();

    /** Which output of a model returning a tuple is the embedding. */
    @WithDefault("0")
    int outputIndex();

    @WithDefault("true")
    boolean l2Normalize();

    /** Images per inference call. */
    @WithDefault("64")
    int batchSize();

    /** Inference threads (0: one per core). */
    @WithDefault("0")
    int inferenceThreads();

    /** The label service, where image bytes are fetched by hash (its typed client reads this: quarkus.rest-client.label-service.url). */
    @WithDefault("http://localhost:8081")
    String labelServiceUrl();

    /** Attempts to embed an item whose bytes could not be fetched before it is marked failed. */
    @WithDefault("3")
    int maxAttempts();

    /** Kafka consumer group of this service. */
    @WithDefault("embedding-service")
    String consumerGroup();

    /** Quiet time after the last change before the project's map is recomputed. */
    @WithDefault("PT2S")
    Duration mapDebounce();

    /** Neighbours per point in the map's k-NN graph. */
    @WithDefault("15")
    int mapNeighbors();

    /** Dimensions kept by PCA before UMAP. */
    @WithDefault("32")
    int mapPcaDimensions();

    @WithDefault("200")
    int mapEpochs();

    /**
     * Up to this many points the map's k-NN graph is exact; above it, approximate (k-means cells). The findings' graph
     * switches at the same default ({@link ProjectSnapshot#EXACT_GRAPH_LIMIT}).
     */
    @WithDefault("" + ProjectSnapshot.EXACT_GRAPH_LIMIT)
    int mapExactGraphLimit();

    /** Cells searched per point by the approximate k-NN graph; more is slower and closer to exact. */
    @WithDefault("" + ProjectSnapshot.GRAPH_PROBES)
    int mapGraphProbes();

    /**
     * Above this many points UMAP lays out this many landmarks and the other points are placed among their nearest
     * landmarks (a cap on the layout's time and memory for very large projects).
     */
    @WithDefault("250000")
    int mapMaxUmapPoints();

    /** Cosine distance below which two different images count as near duplicates. */
    @WithDefault("0.002")
    double nearDuplicateDistance();

    /**
     * Read every replica's EmbeddingsUpdated to keep this replica's in-memory projects current (needed with more than
     * one replica; harmless with one).
     */
    @WithDefault("true")
    boolean peerSync();
}
