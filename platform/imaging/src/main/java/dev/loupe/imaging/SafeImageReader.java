package dev.loupe.imaging;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

/**
 * The one way Loupe decodes image bytes: ImageIO, but only after the header says the image is small enough. A tiny
 * file that claims a huge canvas (a decompression bomb: an 875 KB PNG of 30,000 x 30,000 zero pixels) is refused
 * from its header, before a single pixel is decoded. Stateless, thread-safe, no temp files (ImageIO's global disk
 * cache is bypassed). Colours come back with straight alpha. Every service decodes through here (an ArchUnit rule
 * forbids {@code ImageIO.read} elsewhere); each passes its own pixel limit.
 */
public final class SafeImageReader {

    private SafeImageReader() {
    }

    /** What the header of an image says: its format (lower case ImageIO name: png, jpeg, gif, bmp, ...) and size. */
    public record Header(String format, int width, int height) {
        public long pixels() {
            return (long) width * height;
        }
    }

    /**
     * Reads only the header of {@code bytes} (no pixel is decoded): refuses empty input, formats ImageIO does not know,
     * a size of no pixels and images of more than {@code maxPixels} pixels.
     */
    public static Header header(byte[] bytes, long maxPixels) throws UnreadableImageException {
        return open(bytes, maxPixels, false).header();
    }

    /**
     * Decodes {@code bytes} after {@link #header} accepted them. Unchecked exceptions of ImageIO plugins on corrupt
     * input are reported as {@link UnreadableImageException} too.
     */
    public static BufferedImage read(byte[] bytes, long maxPixels) throws UnreadableImageException {
        return open(bytes, maxPixels, true).image();
    }

    private record Opened(Header header, BufferedImage image) {
    }

    private static Opened open(byte[] bytes, long maxPixels, boolean decode) throws UnreadableImageException {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableImageException(Reason.EMPTY, "empty image");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnreadableImageException(Reason.UNRECOGNISED_FORMAT, "unrecognised image format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                Header header = new Header(reader.getFormatName().toLowerCase(Locale.ROOT), reader.getWidth(0), reader.getHeight(0));
                if (header.width() <= 0 || header.height() <= 0) {
                    throw new UnreadableImageException(Reason.CORRUPT, "image has no pixels (" + header.width() + "x" + header.height() + ")");
                }
                if (header.pixels() > maxPixels) {
                    throw new ImageTooLargeException(header, maxPixels);
                }
                if (!decode) {
                    return new Opened(header, null);
                }
                BufferedImage image = reader.read(0);
                if (image.getColorModel().isAlphaPremultiplied()) {
                    image.coerceData(false); // every caller reads straight (not premultiplied) colour values
                }
                return new Opened(header, image);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImageException(Reason.CORRUPT, "cannot decode image: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** Why bytes were refused. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** No ImageIO reader knows the format (not an image, or an exotic one). */
        UNRECOGNISED_FORMAT,
        /** The header claims more pixels than the caller's limit; nothing was decoded. */
        TOO_LARGE,
        /** Truncated, corrupt or otherwise undecodable. */
        CORRUPT
    }

    /** The bytes are no image this reader will decode; {@link #reason()} says which kind, the message says why. */
    public static class UnreadableImageException extends Exception {
        private final Reason reason;

        public UnreadableImageException(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public UnreadableImageException(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** The header claims more pixels than the limit (a decompression bomb, or simply too big); nothing was decoded. */
    public static final class ImageTooLargeException extends UnreadableImageException {
        private final Header header;
        private final long maxPixels;

        public ImageTooLargeException(Header header, long maxPixels) {
            super(Reason.TOO_LARGE, "image is " + header.width() + "x" + header.height() + " = " + header.pixels()
                    + " pixels, more than the limit of " + maxPixels);
            this.header = header;
            this.maxPixels = maxPixels;
        }

        public Header header() {
            return header;
        }

        public long maxPixels() {
            return maxPixels;
        }
    }
}
