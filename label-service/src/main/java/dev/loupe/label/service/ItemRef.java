package dev.loupe.label.service;

import java.util.UUID;

/** One item of a bulk exclude or restore: the item and the version the client saw. */
public record ItemRef(UUID itemId, Long version) {
}
