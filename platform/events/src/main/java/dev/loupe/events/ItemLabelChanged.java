package dev.loupe.events;

import java.time.Instant;
import java.util.UUID;

/** An item's label changed from {@code oldLabel} to {@code label}. */
public record ItemLabelChanged(
        UUID projectId,
        UUID itemId,
        long version,
        String sha256,
        String oldLabel,
        String label,
        String reason,
        String by,
        Instant at) implements ItemEvent {
}
