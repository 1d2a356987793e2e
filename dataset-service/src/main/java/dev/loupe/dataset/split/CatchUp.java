package dev.loupe.dataset.split;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.QueryParams;

import java.time.Duration;
import java.util.UUID;

/**
 * "Wait until the split includes this change": the query parameters {@code minLabelsSeen}, {@code itemId} (+
 * {@code minVersion}) and {@code wait} (seconds), shared by the split long-poll and version creation.
 */
public record CatchUp(Long minLabelsSeen, UUID itemId, Long minVersion, Duration timeout) {

    public static CatchUp parse(String minLabelsSeen, String itemId, String minVersion, String wait, Duration maxWait,
                         FieldErrors errors) {
        Long labels = QueryParams.longParam(minLabelsSeen, "minLabelsSeen", errors);
        Long version = QueryParams.longParam(minVersion, "minVersion", errors);
        UUID item = QueryParams.uuidParam(itemId, "itemId", errors);
        long max = maxWait.toSeconds();
        int seconds = QueryParams.intParam(wait, (int) Math.min(30, max), "wait", errors);
        errors.check(seconds < 0 || seconds > max, "wait", "must be between 0 and " + max + " seconds")
                .check(version != null && item == null, "minVersion", "needs itemId")
                .check(labels != null && labels < 0, "minLabelsSeen", "must be 0 or more (a label-service event sequence)")
                .check(version != null && version < 1, "minVersion", "must be 1 or more (an item version)");
        return new CatchUp(labels, item, version, Duration.ofSeconds(Math.max(0, seconds)));
    }

    /** True when a change was named, so there is something to wait for. */
    public boolean requested() {
        return minLabelsSeen != null || itemId != null;
    }

    /** The parameter to name when the change was not reached in time. */
    public String field() {
        return itemId != null ? "itemId" : "minLabelsSeen";
    }
}
