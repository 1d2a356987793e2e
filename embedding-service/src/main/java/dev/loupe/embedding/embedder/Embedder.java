package dev.loupe.embedding.embedder;

import java.util.List;

/** Turns encoded images into fixed-size float vectors. Implementations document their thread-safety. */
public interface Embedder {

    /**
     * Identifies the vector space: model id, version, a prefix of the model file's SHA-256 and the preprocessing
     * contract. Stored with every vector; vectors with different ids must never be compared.
     */
    String id();

    int dimension();

    /** Embeds every image it can; an image that cannot be decoded is reported at its index, not thrown. */
    EmbeddingResult embedAll(List<byte[]> images);

    /**
     * All-or-nothing variant: one vector per image, in order.
     *
     * @throws EmbeddingException naming every failed index if any image could not be embedded
     */
    default float[][] embed(List<byte[]> images) {
        return embedAll(images).vectorsOrThrow();
    }
}
