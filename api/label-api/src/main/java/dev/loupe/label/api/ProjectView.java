package dev.loupe.label.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A project and its classes. */
public record ProjectView(UUID id, String name, List<String> classes, Instant createdAt) {
}
