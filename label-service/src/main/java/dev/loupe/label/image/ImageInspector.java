package dev.loupe.label.image;

import dev.loupe.common.util.Causes;
import dev.loupe.common.util.Digests;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether bytes are an acceptable image: a known format, within the size and pixel limits (read from the
 * header, before any pixel is decoded, so a decompression bomb is refused cheaply), and fully decodable (a corrupt
 * or truncated file fails here, not later in another service).
 */
public final class ImageInspector {

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "png", "image/png", "jpeg", "image/jpeg", "gif", "image/gif", "bmp", "image/bmp");

    private final long maxPixels;
    private final long maxBytes;

    public ImageInspector(long maxPixels, long maxBytes) {
        this.maxPixels = maxPixels;
        this.maxBytes = maxBytes;
    }

    public ImageInfo inspect(byte[] bytes) throws ImageRejectedException {
        if (bytes.length == 0) {
            throw new ImageRejectedException("empty file");
        }
        if (bytes.length > maxBytes) {
            throw new ImageRejectedException("file has " + bytes.length + " bytes, more than the limit of " + maxBytes);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejectedException("not an image (expected PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                String contentType = CONTENT_TYPES.get(format);
                if (contentType == null) {
                    throw new ImageRejectedException("unsupported image format " + format);
                }
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new ImageRejectedException("image has no pixels (" + width + "x" + height + ")");
                }
                if ((long) width * height > maxPixels) {
                    throw new ImageRejectedException("image is " + width + "x" + height + " = " + (long) width * height
                            + " pixels, more than the limit of " + maxPixels);
                }
                reader.read(0);
                return new ImageInfo(Digests.sha256(bytes), contentType, width, height, bytes.length);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO reports truncation and corruption with IIOException, EOFException or, for some
            // malformed headers, runtime exceptions; all mean the same thing to the user.
            throw new ImageRejectedException("corrupt or truncated image: " + Causes.rootMessage(e));
        }
    }
}
