package dev.loupe.embedding.embedder;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What the service needs to know to run a TorchScript embedder: the file, its identity and its input/output contract.
 *
 * @param modelFile     TorchScript file ({@code torch.jit.trace/script(...).save(...)})
 * @param id            model name, part of {@link Embedder#id()}: letters, digits, {@code . _ -}
 * @param version       model version, same alphabet
 * @param inputChannels 1 or 3
 * @param inputSize     S of the {@code C x S x S} input
 * @param color         gray (replicated for 3 channels) or RGB (needs 3 channels)
 * @param normalization per-channel mean/std after {@code 1 - v/255}, or {@code null} for none
 * @param outputIndex   which output of a multi-output model (tuple) is the embedding
 * @param l2Normalize   scale each vector to unit length (cosine similarity becomes a dot product)
 */
public record ModelSpec(Path modelFile, String id, String version, int inputChannels, int inputSize, ColorMode color,
                        Normalization normalization, int outputIndex, boolean l2Normalize) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public ModelSpec {
        if (modelFile == null) {
            throw new IllegalArgumentException("model file is required");
        }
        requireName("model id", id);
        requireName("model version", version);
        if (inputChannels != 1 && inputChannels != 3) {
            throw new IllegalArgumentException("model " + id + ": input channels must be 1 or 3, got " + inputChannels);
        }
        if (inputSize < 8 || inputSize > 1024) {
            throw new IllegalArgumentException("model " + id + ": input size must be in 8..1024, got " + inputSize);
        }
        if (color == null) {
            throw new IllegalArgumentException("model " + id + ": color mode is required");
        }
        if (color == ColorMode.RGB && inputChannels != 3) {
            throw new IllegalArgumentException("model " + id + ": color mode RGB needs 3 input channels, got "
                    + inputChannels);
        }
        if (normalization != null && normalization.channels() != inputChannels) {
            throw new IllegalArgumentException("model " + id + ": normalization has " + normalization.channels()
                    + " channel(s) but the model takes " + inputChannels);
        }
        if (outputIndex < 0) {
            throw new IllegalArgumentException("model " + id + ": output index must be >= 0, got " + outputIndex);
        }
    }

    /** The default contract {@code loupe-gray64-v1}: 1 gray channel, 64x64, no normalisation, output 0, L2-normalised. */
    public static ModelSpec gray64(Path modelFile, String id, String version) {
        return new ModelSpec(modelFile, id, version, 1, 64, ColorMode.GRAY, null, 0, true);
    }

    public ModelSpec withInput(int channels, int size, ColorMode colorMode) {
        return new ModelSpec(modelFile, id, version, channels, size, colorMode, normalization, outputIndex, l2Normalize);
    }

    public ModelSpec withNormalization(Normalization n) {
        return new ModelSpec(modelFile, id, version, inputChannels, inputSize, color, n, outputIndex, l2Normalize);
    }

    public ModelSpec withOutputIndex(int index) {
        return new ModelSpec(modelFile, id, version, inputChannels, inputSize, color, normalization, index, l2Normalize);
    }

    public ModelSpec withL2Normalize(boolean l2) {
        return new ModelSpec(modelFile, id, version, inputChannels, inputSize, color, normalization, outputIndex, l2);
    }

    private static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1-128 characters of letters, digits, '.', '_' or '-'"
                    + " (starting with a letter or digit), got " + (value == null ? "null" : "'" + value + "'"));
        }
    }
}
