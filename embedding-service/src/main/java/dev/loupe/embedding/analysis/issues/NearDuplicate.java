package dev.loupe.embedding.analysis.issues;

import java.util.List;
import java.util.UUID;

/**
 * Two images that are the same (equal hash: {@code exact}) or nearly so (cosine distance under the threshold).
 *
 * @param firstSplit  the first item's original split, or null
 * @param secondSplit the second item's original split, or null
 */
public record NearDuplicate(UUID first, UUID second, double distance, boolean exact, String firstSplit,
                            String secondSplit) implements Finding {

    @Override
    public List<UUID> itemIds() {
        return List.of(first, second);
    }

    @Override
    public double score() {
        return 1.0 - distance;
    }

    /** One in train and the other in val (or any two different splits): a leak that flatters validation. */
    public boolean crossesSplit() {
        return firstSplit != null && secondSplit != null && !firstSplit.equals(secondSplit);
    }
}
