package dev.loupe.events;

import java.time.Instant;
import java.util.UUID;

/** An excluded item was brought back into the dataset. */
public record ItemRestored(
        UUID projectId,
        UUID itemId,
        long version,
        String sha256,
        String label,
        String reason,
        String by,
        Instant at) implements ItemEvent {
}
