package dev.loupe.events;

import java.time.Instant;
import java.util.UUID;

/** A new item entered a project (import, upload, augmentation or synthesis). */
public record ItemAdded(
        UUID projectId,
        UUID itemId,
        long version,
        String sha256,
        String label,
        String originalSplit,
        String originalPath,
        String source,
        Provenance provenance,
        String by,
        Instant at) implements ItemEvent {
}
