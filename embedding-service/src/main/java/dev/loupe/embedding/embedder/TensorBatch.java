package dev.loupe.embedding.embedder;

/** {@code count} preprocessed images laid out back to back, {@code count * C * S * S} floats. */
record TensorBatch(float[] data, int count) {
}
