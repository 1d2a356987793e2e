package dev.loupe.embedding.service;

import dev.loupe.embedding.config.EmbeddingConfig;
import dev.loupe.embedding.embedder.ColorMode;
import dev.loupe.embedding.embedder.EmbedderOptions;
import dev.loupe.embedding.embedder.EmbeddingResult;
import dev.loupe.embedding.embedder.ModelSpec;
import dev.loupe.embedding.embedder.Normalization;
import dev.loupe.embedding.embedder.TorchScriptEmbedder;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The active embedder, loaded at start: the configured TorchScript file, or the shipped glyphnet-v1. A model that
 * does not load stops the service at start with a message naming the file and the reason.
 */
@Startup
@ApplicationScoped
public class EmbedderHolder {

    static final String SHIPPED_MODEL = "models/glyphnet-v1.pt";
    private static final Logger LOG = Logger.getLogger(EmbedderHolder.class);

    private final TorchScriptEmbedder embedder;

    public EmbedderHolder(EmbeddingConfig config) {
        System.setProperty("ai.djl.offline", "true");
        ModelSpec spec = config.model().map(file -> configured(Path.of(file), config)).orElseGet(EmbedderHolder::shipped);
        int threads = config.inferenceThreads() > 0 ? config.inferenceThreads() : Runtime.getRuntime().availableProcessors();
        this.embedder = TorchScriptEmbedder.load(spec, EmbedderOptions.defaults().withBatchSize(config.batchSize())
                .withThreads(Math.max(1, threads), threads));
        LOG.infof("Embedder %s loaded from %s (%d dimensions)", embedder.id(), spec.modelFile(), embedder.dimension());
    }

    public String id() {
        return embedder.id();
    }

    public int dimension() {
        return embedder.dimension();
    }

    public EmbeddingResult embed(List<byte[]> images) {
        return embedder.embedAll(images);
    }

    @PreDestroy
    void close() {
        embedder.close();
    }

    private static ModelSpec configured(Path file, EmbeddingConfig config) {
        ColorMode color = switch (config.color().toLowerCase(java.util.Locale.ROOT)) {
            case "gray", "grey" -> ColorMode.GRAY;
            case "rgb" -> ColorMode.RGB;
            default -> throw new IllegalArgumentException("loupe.embedding.color must be gray or rgb, got " + config.color());
        };
        ModelSpec spec = new ModelSpec(file, config.modelId(), config.modelVersion(), config.inputChannels(),
                config.inputSize(), color, null, config.outputIndex(), config.l2Normalize());
        if (config.normalizationMean().isPresent() || config.normalizationStd().isPresent()) {
            spec = spec.withNormalization(new Normalization(floats(config.normalizationMean().orElseThrow(
                    () -> new IllegalArgumentException("loupe.embedding.normalization-mean is required with -std"))),
                    floats(config.normalizationStd().orElseThrow(
                            () -> new IllegalArgumentException("loupe.embedding.normalization-std is required with -mean")))));
        }
        return spec;
    }

    /** DJL loads from a file: copy the model shipped in the jar to a temporary one. */
    private static ModelSpec shipped() {
        try (InputStream in = EmbedderHolder.class.getClassLoader().getResourceAsStream(SHIPPED_MODEL)) {
            if (in == null) {
                throw new IllegalStateException("the shipped model " + SHIPPED_MODEL + " is missing from the build");
            }
            Path file = Files.createTempFile("loupe-glyphnet-v1-", ".pt");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return ModelSpec.gray64(file, "loupe-glyphnet", "v1");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the shipped model", e);
        }
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
