package dev.loupe.embedding.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every finding of a project, most important first within each type, and the train/val shift (absent when only
 * duplicates are asked for); {@code asOf} says which state of the project they were computed on.
 */
public record FindingsView(UUID projectId, String embedder, List<Finding> findings, ShiftView shift, AsOf asOf) {

    /**
     * The state of the project the findings were computed on.
     *
     * @param snapshotAt when the service read the project's items and labels for them
     * @param current    false when the project changed since (only when asked with {@code allowStale=true}): newer
     *                   findings are being computed, ask again for them
     * @param refreshing whether newer findings are being computed, or will be in a moment (while labels keep changing,
     *                   a project's findings are computed at most every five computation times)
     */
    public record AsOf(Instant snapshotAt, boolean current, boolean refreshing) {
    }

    /** How well a classifier tells train from val images (AUC), and the regions of the map where they differ. */
    public record ShiftView(double trainVsValAuc, List<RegionView> regions) {
    }

    /** One region of the map and how many of its images are on each side. */
    public record RegionView(int region, int train, int val, double trainShare) {
    }
}
