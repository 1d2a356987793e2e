package dev.loupe.events;

import java.time.Instant;
import java.util.UUID;

/** What every item event carries: which item, at which version, with which image bytes, by whom and when. */
public interface ItemEvent {
    UUID projectId();

    UUID itemId();

    /** The item's version after this change; consumers ignore events older than what they applied. */
    long version();

    /** sha256 of the image bytes, hex: fetch them from the label service at /api/blobs/{sha256}. */
    String sha256();

    /** The item's label after this change. */
    String label();

    String by();

    Instant at();
}
