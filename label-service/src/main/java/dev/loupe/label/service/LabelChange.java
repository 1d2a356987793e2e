package dev.loupe.label.service;

import java.util.UUID;

/** One change of a bulk relabel: set {@code label} on the item the client saw at {@code version}. */
public record LabelChange(UUID itemId, Long version, String label) {
}
