package dev.loupe.common.inbox;

import dev.loupe.events.EventEnvelope;
import dev.loupe.events.LoupeEvent;

import java.util.List;

/** What a service does with the events of its {@code @Incoming} channel; see {@link Inbox}. */
public interface InboxHandler {

    /** Applies fresh (never before processed) events inside the inbox's transaction. */
    void apply(List<EventEnvelope<LoupeEvent>> events);

    /** Runs after the transaction committed, e.g. to wake background work. Failures here are logged, not retried. */
    default void afterCommit(List<EventEnvelope<LoupeEvent>> events) {
    }
}
