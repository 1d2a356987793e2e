package dev.loupe.embedding.api;

import java.util.List;
import java.util.UUID;

/**
 * Every finding of a project, most important first within each type, and the train/val shift (absent when only
 * duplicates are asked for).
 */
public record FindingsView(UUID projectId, String embedder, List<Finding> findings, ShiftView shift) {

    /** How well a classifier tells train from val images (AUC), and the regions of the map where they differ. */
    public record ShiftView(double trainVsValAuc, List<RegionView> regions) {
    }

    /** One region of the map and how many of its images are on each side. */
    public record RegionView(int region, int train, int val, double trainShare) {
    }
}
