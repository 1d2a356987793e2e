package dev.loupe.dataset.curation;

import java.util.HashSet;
import java.util.Set;

/**
 * The image budget of one planning run (the competition allowed 10,000): the project's items now, what the actions
 * so far remove and add, and the items an earlier action already claimed (an excluded image is not relabelled too).
 * One instance per run; not shared.
 */
public final class Budget {

    private final int total;
    private final int itemsNow;
    private int removed;
    private int added;
    private final Set<Object> claimed = new HashSet<>();

    public Budget(int total, int itemsNow) {
        this.total = total;
        this.itemsNow = itemsNow;
    }

    public int total() {
        return total;
    }

    public int itemsNow() {
        return itemsNow;
    }

    /** Items after the actions charged so far. */
    public int itemsAfter() {
        return itemsNow - removed + added;
    }

    /** New images the budget still allows (never negative). */
    public int remaining() {
        return Math.max(0, total - itemsAfter());
    }

    void remove(int n) {
        removed += n;
    }

    /** Charges {@code n} new images; they must fit. */
    void add(int n) {
        if (n < 0 || n > remaining()) {
            throw new IllegalArgumentException("cannot add " + n + " images, " + remaining() + " remain");
        }
        added += n;
    }

    /** Claims an item for one action; false when an earlier action has it. */
    boolean claim(Object itemId) {
        return claimed.add(itemId);
    }

    boolean claimed(Object itemId) {
        return claimed.contains(itemId);
    }
}
