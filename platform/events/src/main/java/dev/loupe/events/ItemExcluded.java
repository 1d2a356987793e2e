package dev.loupe.events;

import java.time.Instant;
import java.util.UUID;

/** An item was excluded from the dataset (noise, blank, unreadable); it keeps its label and history. */
public record ItemExcluded(
        UUID projectId,
        UUID itemId,
        long version,
        String sha256,
        String label,
        String reason,
        String by,
        Instant at) implements ItemEvent {
}
