package dev.loupe.label.image;

/** What Loupe records about an accepted image. */
public record ImageInfo(String sha256, String contentType, int width, int height, long size) {
}
