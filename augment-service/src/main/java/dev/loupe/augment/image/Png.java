package dev.loupe.augment.image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** PNG in and out through ImageIO; 8-bit gray images are written as gray PNGs, so the DCAI format round-trips. */
public final class Png {

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

    /** Decodes an image; not an image or unreadable bytes are an {@link IllegalArgumentException}. */
    public static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) throw new IllegalArgumentException("not a readable image");
            return image;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable image: " + e.getMessage(), e);
        }
    }
}
