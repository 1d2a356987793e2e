package dev.loupe.label.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A project, its classes and its settings; {@code copyImages}: whether imports by reference ({@code s3://} sources and
 * manifests) copy the images into the deployment's store instead of leaving them in their bucket.
 */
public record ProjectView(UUID id, String name, List<String> classes, Instant createdAt, boolean copyImages) {
}
