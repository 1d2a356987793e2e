package dev.loupe.embedding.review;

import java.util.Locale;

/** A reviewer's decision on a flagged item. */
public enum Decision {
    /** Take the finding's suggested label. */
    ACCEPT,
    /** The label is right: keep it (the same finding does not come back while the label stays). */
    KEEP,
    /** Another label, named in the request. */
    RELABEL,
    /** Exclude the item (reason "review"). */
    EXCLUDE,
    /** Recorded, but no vote: the item stays open for others. */
    UNSURE;

    /** The decision named {@code name} (any case), or null. */
    public static Decision parse(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
