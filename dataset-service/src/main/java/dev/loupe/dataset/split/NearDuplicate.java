package dev.loupe.dataset.split;

import java.util.UUID;

/** Two items whose images are near duplicates: the split keeps them on one side. */
public record NearDuplicate(UUID itemA, UUID itemB) {

    /** The pair as the planner takes it. */
    UUID[] toArray() {
        return new UUID[]{itemA, itemB};
    }
}
