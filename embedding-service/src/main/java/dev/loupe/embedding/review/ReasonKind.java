package dev.loupe.embedding.review;

/**
 * Why an item is in the review queue, in the order of the benefit a decision on it is expected to bring: a wrong
 * label costs the model most, then an item the last evaluation got wrong, then junk, then a duplicate.
 */
public enum ReasonKind {
    LABEL_ISSUE(3), MISPREDICTED(2), OUTLIER(1), DUPLICATE(0);

    /** The kind's tier in the queue's order ({@link ReviewQueue#priority}). */
    final int tier;

    ReasonKind(int tier) {
        this.tier = tier;
    }
}
