package dev.loupe.embedding.api;

import java.util.List;
import java.util.UUID;

/**
 * One page of a project's review queue as other services read it: the items still open (not decided, a KEEP's finding
 * kinds left out) with the kinds of their reasons ({@code LABEL_ISSUE}, {@code MISPREDICTED}, {@code OUTLIER},
 * {@code DUPLICATE}); the serving answer has more fields, ignored here.
 */
public record ReviewQueuePage(List<QueuedItem> items, String nextCursor) {

    public static final String KIND_LABEL_ISSUE = "LABEL_ISSUE";
    public static final String KIND_OUTLIER = "OUTLIER";

    /** An open item and why it is queued. */
    public record QueuedItem(UUID itemId, List<Reason> reasons) {
    }

    /** One reason's kind. */
    public record Reason(String kind) {
    }
}
