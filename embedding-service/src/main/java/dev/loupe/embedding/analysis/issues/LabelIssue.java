package dev.loupe.embedding.analysis.issues;

import java.util.List;
import java.util.UUID;

/**
 * A suspected wrong label: the item looks like {@code suggestedLabel}.
 *
 * @param confidence        the rank score: half the suggested class's probability, half the neighbour agreement
 * @param neighborAgreement share of the item's nearest neighbours labelled {@code suggestedLabel}
 * @param model             what the trained model said about the item, or null when its predictions were not used
 */
public record LabelIssue(UUID itemId, String givenLabel, String suggestedLabel, double confidence,
                         double givenLabelProbability, double suggestedLabelProbability, double neighborAgreement,
                         ModelOpinion model) implements Finding {

    /**
     * The trained model's out-of-fold probabilities for the item.
     *
     * @param label        the class the model found most probable
     * @param evaluationId the evaluation that made the predictions (may be null)
     */
    public record ModelOpinion(String label, double givenLabelProbability, double suggestedLabelProbability,
                               UUID evaluationId) {
    }

    @Override
    public List<UUID> itemIds() {
        return List.of(itemId);
    }

    @Override
    public double score() {
        return confidence;
    }

    /** Which predictions the probabilities came from: the embedding classifier alone, or blended with the model's. */
    public List<String> signals() {
        return model == null ? List.of("embeddings") : List.of("embeddings", "model");
    }
}
