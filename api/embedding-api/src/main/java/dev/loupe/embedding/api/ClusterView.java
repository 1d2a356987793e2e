package dev.loupe.embedding.api;

import java.util.UUID;

/** An item's style cluster within its class (-1 when unknown). */
public record ClusterView(UUID itemId, String label, int cluster) {
}
