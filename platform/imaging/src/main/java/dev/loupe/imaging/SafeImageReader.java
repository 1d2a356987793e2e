package dev.loupe.imaging;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * Reads an image from bytes with ImageIO, but only after its header says it is small enough: a tiny file that
 * claims a huge canvas (a decompression bomb) is refused before a single pixel is decoded. Stateless, thread-safe,
 * no temp files (ImageIO's global disk cache is bypassed). Colours come back with straight alpha. The embedding
 * service and the training library decode image bytes through here.
 */
public final class SafeImageReader {

    private SafeImageReader() {
    }

    /**
     * Decodes {@code bytes}; refuses empty input, formats ImageIO does not know and images of more than
     * {@code maxPixels} pixels (width x height from the header). Unchecked exceptions of ImageIO plugins on corrupt
     * input are reported as {@link UnreadableImageException} too.
     */
    public static BufferedImage read(byte[] bytes, long maxPixels) throws UnreadableImageException {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableImageException("empty image");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnreadableImageException("unrecognised image format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new UnreadableImageException("image has " + pixels + " pixels, more than the limit " + maxPixels);
                }
                BufferedImage image = reader.read(0);
                if (image.getColorModel().isAlphaPremultiplied()) {
                    image.coerceData(false); // every caller reads straight (not premultiplied) colour values
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImageException("cannot decode image: " + e, e);
        }
    }

    /** The bytes are no image this reader will decode; the message says why. */
    public static final class UnreadableImageException extends Exception {
        public UnreadableImageException(String message) {
            super(message);
        }

        public UnreadableImageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
