package dev.loupe.embedding.embedder;

/**
 * 8-bit planes of a decoded image, row-major, {@code width * height} bytes each: one plane for
 * {@link ColorMode#GRAY}, R, G, B for {@link ColorMode#RGB}.
 */
record DecodedImage(int width, int height, byte[][] planes) {
}
