package dev.loupe.label.api;

import dev.loupe.events.Provenance;

import java.time.Instant;
import java.util.UUID;

/** An item as the API shows it. */
public record ItemView(UUID id, UUID projectId, String label, long version, boolean excluded, String excludedReason,
                       String originalSplit, String originalPath, String sha256, int width, int height, String source,
                       Provenance provenance, Instant createdAt, Instant updatedAt) {
}
