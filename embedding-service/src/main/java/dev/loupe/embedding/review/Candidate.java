package dev.loupe.embedding.review;

import java.util.List;
import java.util.UUID;

/**
 * A flagged item with everything found about it, ranked by {@link #priority} (see {@link ReviewQueue}).
 *
 * @param suggestedLabel the label issue's suggestion, else the model's prediction, else null
 */
public record Candidate(UUID itemId, String label, double priority, String suggestedLabel, List<Reason> reasons) {

    /** The finding kinds, in the reasons' order. */
    public List<ReasonKind> kinds() {
        return reasons.stream().map(Reason::kind).distinct().toList();
    }

    /** The strongest reason's score. */
    public double score() {
        return reasons.stream().mapToDouble(Reason::score).max().orElse(0);
    }
}
