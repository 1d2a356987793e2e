package dev.loupe.label.importer;

/** One file of an archive or folder, by its path inside it (always with '/' separators). */
public record ImportEntry(String path, long declaredSize) {
}
