package dev.loupe.embedding.review;

import java.util.UUID;

/**
 * One finding about a queued item.
 *
 * @param score          how sure or severe, in [0, 1] (a label issue's confidence, the model's probability, ...)
 * @param suggestedLabel the label the finding suggests, or null (outliers, duplicates)
 * @param evidence       the finding in one plain sentence
 * @param otherItemId    the other item of a duplicate pair, else null
 */
public record Reason(ReasonKind kind, double score, String suggestedLabel, String evidence, UUID otherItemId) {
}
