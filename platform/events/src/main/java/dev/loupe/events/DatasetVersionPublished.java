package dev.loupe.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A dataset version was frozen: an immutable set of items, labels, image hashes and train/val sides, the
 * trigger for retraining.
 *
 * @param contentHash sha256 over the version's content (same items, labels, bytes and sides: same hash)
 * @param counts      items per side per class
 * @param exportPath  where the ImageFolder zip of this version is served, relative to the dataset service
 */
public record DatasetVersionPublished(UUID projectId, UUID versionId, String name, String contentHash, int items,
                                      Map<String, Map<String, Integer>> counts, long splitVersion, long labelsSeen,
                                      String exportPath, String by, Instant at) implements LoupeEvent {

    public DatasetVersionPublished {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    /** Keyed by project: one project's versions stay in order. */
    @Override
    public UUID subject() {
        return projectId;
    }
}
