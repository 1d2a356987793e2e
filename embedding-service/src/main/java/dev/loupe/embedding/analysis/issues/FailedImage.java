package dev.loupe.embedding.analysis.issues;

import java.util.List;
import java.util.UUID;

/**
 * An image that could not be embedded (not decodable, not available): found by the embedding worker, not by an
 * analysis, so it has no {@link IssueFinder}.
 */
public record FailedImage(UUID itemId, String reason) implements Finding {

    @Override
    public List<UUID> itemIds() {
        return List.of(itemId);
    }

    @Override
    public double score() {
        return 1.0;
    }
}
