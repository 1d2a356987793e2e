package dev.loupe.embedding.embedder;

/**
 * Runtime knobs of a {@link TorchScriptEmbedder}.
 *
 * @param batchSize         images per forward pass
 * @param preprocessThreads decoding/resizing threads, separate from inference so the two overlap
 * @param inferenceThreads  libtorch intra-op threads. Process-wide in libtorch: the last embedder loaded wins
 * @param maxImagePixels    images whose header announces more pixels are refused (per image)
 */
public record EmbedderOptions(int batchSize, int preprocessThreads, int inferenceThreads, long maxImagePixels) {

    public EmbedderOptions {
        if (batchSize < 1 || batchSize > 4096) {
            throw new IllegalArgumentException("batch size must be in 1..4096, got " + batchSize);
        }
        if (preprocessThreads < 1) {
            throw new IllegalArgumentException("preprocess threads must be >= 1, got " + preprocessThreads);
        }
        if (inferenceThreads < 1) {
            throw new IllegalArgumentException("inference threads must be >= 1, got " + inferenceThreads);
        }
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("max image pixels must be >= 1, got " + maxImagePixels);
        }
    }

    /** Batches of 64; preprocessing and inference each get all cores (they mostly alternate, rarely compete). */
    public static EmbedderOptions defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new EmbedderOptions(64, cores, cores, Preprocessor.DEFAULT_MAX_PIXELS);
    }

    public EmbedderOptions withBatchSize(int size) {
        return new EmbedderOptions(size, preprocessThreads, inferenceThreads, maxImagePixels);
    }

    public EmbedderOptions withThreads(int preprocess, int inference) {
        return new EmbedderOptions(batchSize, preprocess, inference, maxImagePixels);
    }
}
