package dev.loupe.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The dataset service recomputed a project's train/val split.
 *
 * @param splitVersion  increases with every refresh of this project's split
 * @param strategy      stratified, style-balanced or keep-original
 * @param counts        items per side ("train", "val") per class
 * @param moved         items that changed side (train, val or left out by maxItems) since the previous refresh, at
 *                      most {@link #MAX_MOVED_IDS} of them (a new seed can move thousands); items seen for the first
 *                      time are counted in {@code newlyAssigned}, not listed
 * @param movedCount    how many items changed side in all
 * @param newlyAssigned items that got their first side in this refresh
 * @param labelsSeen    the label service's event sequence up to which this project's item events are applied
 */
public record SplitRefreshed(UUID projectId, long splitVersion, String strategy, Map<String, Map<String, Integer>> counts,
                             List<UUID> moved, int movedCount, int newlyAssigned, long labelsSeen, Instant at)
        implements LoupeEvent {

    /** Keeps one event well below Kafka's default 1 MB message limit. */
    public static final int MAX_MOVED_IDS = 5_000;

    public SplitRefreshed {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        moved = moved == null ? List.of() : List.copyOf(moved);
    }

    /** Keyed by project: one project's refreshes stay in order. */
    @Override
    public UUID subject() {
        return projectId;
    }
}
