package dev.loupe.label.rest;

import dev.loupe.events.Provenance;
import dev.loupe.label.domain.Item;

import java.time.Instant;
import java.util.UUID;

/** An item as the API shows it. */
public record ItemView(UUID id, UUID projectId, String label, long version, boolean excluded, String excludedReason,
                       String originalSplit, String originalPath, String sha256, int width, int height, String source,
                       Provenance provenance, Instant createdAt, Instant updatedAt) {

    static ItemView of(Item item, Provenance provenance) {
        return new ItemView(item.id, item.projectId, item.label, item.version, item.excluded, item.excludedReason,
                item.originalSplit, item.originalPath, item.sha256, item.width, item.height, item.source, provenance,
                item.createdAt, item.updatedAt);
    }
}
