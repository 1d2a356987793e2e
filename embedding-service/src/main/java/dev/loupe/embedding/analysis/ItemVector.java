package dev.loupe.embedding.analysis;

import java.util.UUID;

/**
 * One embedded, included item of a project with its vector: what every analysis reads.
 *
 * @param split the item's original split (train, val, ...) or null
 * @param ink   the image's ink fraction ({@link InkMeter}), or null when it was not measured
 */
public record ItemVector(UUID itemId, String label, String split, String sha256, float[] vector, Double ink) {
}
