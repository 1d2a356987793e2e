package dev.loupe.events;

import java.time.Instant;
import java.util.UUID;

/** What every item event carries: which item, at which version, with which image bytes, by whom and when. */
public sealed interface ItemEvent extends LoupeEvent permits ItemAdded, ItemLabelChanged, ItemExcluded, ItemRestored {
    UUID itemId();

    /** Item events are keyed by item id, so one item's events stay in order. */
    @Override
    default UUID subject() {
        return itemId();
    }

    /** The item's version after this change; consumers ignore events older than what they applied. */
    long version();

    /** sha256 of the image bytes, hex: fetch them from the label service at /api/blobs/{sha256}. */
    String sha256();

    /** The item's label after this change. */
    String label();

    String by();

    Instant at();
}
