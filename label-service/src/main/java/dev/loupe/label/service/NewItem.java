package dev.loupe.label.service;

import dev.loupe.events.Provenance;
import dev.loupe.label.domain.ItemSource;

/** What it takes to add one item; the image is inspected before anything is written. */
public record NewItem(byte[] image, String label, ItemSource source, Provenance provenance,
                      String originalPath, String originalSplit, String idempotencyKey) {
}
