package dev.loupe.augment.image;

import dev.loupe.imaging.SafeImageReader;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * PNG in and out; 8-bit gray images are written as gray PNGs, so the DCAI format round-trips. Decoding goes through
 * {@link SafeImageReader}: an image whose header claims more than {@link #MAX_PIXELS} pixels (a decompression bomb
 * sent as a mask) is refused before any pixel is decoded.
 */
public final class Png {

    /**
     * Largest image the augment service decodes: the label service's default limit, so every item fits, and a mask
     * (which must be its item's size) too.
     */
    public static final long MAX_PIXELS = 40_000_000L;

    private Png() {
    }

    public static byte[] encode(BufferedImage image) {
        var out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer for image type " + image.getType());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes an image of at most {@link #MAX_PIXELS} pixels; anything else is an {@link UnreadableImageException}. */
    public static BufferedImage decode(byte[] bytes) {
        try {
            return SafeImageReader.read(bytes, MAX_PIXELS);
        } catch (SafeImageReader.UnreadableImageException e) {
            throw new UnreadableImageException(e);
        }
    }

    /** Bytes that are no image, or one too large to decode; the message says which, in words a user understands. */
    public static final class UnreadableImageException extends IllegalArgumentException {
        private final SafeImageReader.Reason reason;

        UnreadableImageException(SafeImageReader.UnreadableImageException cause) {
            super(cause.getMessage(), cause);
            this.reason = cause.reason();
        }

        public SafeImageReader.Reason reason() {
            return reason;
        }
    }
}
