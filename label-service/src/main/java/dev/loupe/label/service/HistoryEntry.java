package dev.loupe.label.service;

import dev.loupe.label.domain.ItemChange;

import java.time.Instant;

/** One entry of an item's history. */
public record HistoryEntry(long version, Action action, String from, String to, String by, Instant at, String reason) {

    /** What a change did; the names are those of the stored history. */
    public enum Action { ADDED, RELABELED, EXCLUDED, RESTORED }

    static HistoryEntry of(ItemChange change) {
        return new HistoryEntry(change.version, action(change.action), change.fromLabel, change.toLabel, change.actor,
                change.at, change.reason);
    }

    /** Exhaustive on purpose: a new stored action does not compile until it is shown here too. */
    private static Action action(ItemChange.Action action) {
        return action == null ? null : switch (action) {
            case ADDED -> Action.ADDED;
            case RELABELED -> Action.RELABELED;
            case EXCLUDED -> Action.EXCLUDED;
            case RESTORED -> Action.RESTORED;
        };
    }
}
