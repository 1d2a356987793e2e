package dev.loupe.label.api;

import java.util.List;

/** A page of a project's items and the number of all items matching the filter. */
public record ItemList(List<ItemView> items, long total, int page, int size) {
}
