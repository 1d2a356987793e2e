package dev.loupe.embedding.api;

import java.util.List;
import java.util.UUID;

/** A trained model's out-of-fold predictions: which evaluation made them, the class order, and one row per item. */
public record PredictionSet(UUID versionId, UUID evaluationId, String model, List<String> classes,
                            List<ItemPrediction> items) {

    /** One item's held-out probabilities, in the order of the set's classes. */
    public record ItemPrediction(UUID itemId, float[] probabilities) {
    }
}
