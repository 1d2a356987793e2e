package dev.loupe.embedding.analysis.issues;

import java.util.List;
import java.util.UUID;

/**
 * An atypical image: a blank or mostly dark page (from its pixels), or an image far from all its neighbours.
 *
 * @param ink   the image's ink fraction, or null when it was not measured
 * @param score 100 plus the ink's distance from normal for a blank or dark page (so those rank first), else the
 *              robust z-score
 */
public record Outlier(UUID itemId, Reason reason, Double ink, double meanNeighborDistance, double robustZ,
                      double score) implements Finding {

    /** Why the image is an outlier; {@link #text} is how the API says it. */
    public enum Reason {
        BLANK("blank"),
        MOSTLY_DARK("mostly dark"),
        FAR_FROM_NEIGHBOURS("far from its neighbours");

        public final String text;

        Reason(String text) {
            this.text = text;
        }
    }

    @Override
    public List<UUID> itemIds() {
        return List.of(itemId);
    }
}
