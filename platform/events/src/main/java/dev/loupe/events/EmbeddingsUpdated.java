package dev.loupe.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The embedding service applied changes to a project: new vectors, or label changes that refresh findings.
 *
 * @param itemIds    the items whose vectors or labels changed in this update
 * @param embedder   the embedding model (id, version and file hash) the project's vectors come from
 * @param labelsSeen the label service's event sequence up to which this project's item events are applied
 */
public record EmbeddingsUpdated(UUID projectId, List<UUID> itemIds, String embedder, long labelsSeen, Instant at)
        implements LoupeEvent {

    public EmbeddingsUpdated {
        itemIds = itemIds == null ? List.of() : List.copyOf(itemIds);
    }

    /** Keyed by project: one project's updates stay in order. */
    @Override
    public UUID subject() {
        return projectId;
    }
}
