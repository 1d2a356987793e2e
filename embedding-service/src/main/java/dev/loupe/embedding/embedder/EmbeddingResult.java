package dev.loupe.embedding.embedder;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Outcome of embedding a list of images: a vector or an error message per input index.
 * Vectors are shared, not copied (they can be large); callers must not modify them.
 */
public final class EmbeddingResult {

    private final float[][] vectors;
    private final SortedMap<Integer, String> errors;

    EmbeddingResult(float[][] vectors, SortedMap<Integer, String> errors) {
        this.vectors = vectors;
        this.errors = Collections.unmodifiableSortedMap(new TreeMap<>(errors));
    }

    public int size() {
        return vectors.length;
    }

    public boolean succeeded(int index) {
        return vectors[index] != null;
    }

    /** The vector of image {@code index}, or {@code null} when it failed (see {@link #error(int)}). */
    public float[] vector(int index) {
        return vectors[index];
    }

    public Optional<String> error(int index) {
        return Optional.ofNullable(errors.get(index));
    }

    /** Failed indices and why, in index order. */
    public SortedMap<Integer, String> errors() {
        return errors;
    }

    public boolean allSucceeded() {
        return errors.isEmpty();
    }

    public float[][] vectorsOrThrow() {
        if (!errors.isEmpty()) {
            throw new EmbeddingException(errors);
        }
        return vectors.clone();
    }
}
