package dev.loupe.label.image;

import dev.loupe.common.util.Causes;
import dev.loupe.common.util.Digests;
import dev.loupe.imaging.SafeImageReader;

import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * Decides whether bytes are an acceptable image: a known format, within the size and pixel limits (read from the
 * header by {@link SafeImageReader}, before any pixel is decoded, so a decompression bomb is refused cheaply), and
 * fully decodable (a corrupt or truncated file fails here, not later in another service).
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
        if (bytes.length > maxBytes) {
            throw new ImageRejectedException("file has " + bytes.length + " bytes, more than the limit of " + maxBytes);
        }
        try {
            SafeImageReader.Header header = SafeImageReader.header(bytes, maxPixels);
            String contentType = CONTENT_TYPES.get(header.format());
            if (contentType == null) {
                throw new ImageRejectedException("unsupported image format " + header.format());
            }
            SafeImageReader.read(bytes, maxPixels);
            return new ImageInfo(Digests.sha256(bytes), contentType, header.width(), header.height(), bytes.length);
        } catch (SafeImageReader.UnreadableImageException e) {
            throw new ImageRejectedException(switch (e.reason()) {
                case EMPTY -> "empty file";
                case UNRECOGNISED_FORMAT -> "not an image (expected PNG, JPEG, GIF or BMP)";
                case TOO_LARGE -> e.getMessage();
                case CORRUPT -> "corrupt or truncated image: " + Causes.rootMessage(e);
            });
        }
    }

    /** Decodes an image this inspector accepted (for thumbnails); the same limit holds. */
    public BufferedImage decode(byte[] bytes) throws ImageRejectedException {
        try {
            return SafeImageReader.read(bytes, maxPixels);
        } catch (SafeImageReader.UnreadableImageException e) {
            throw new ImageRejectedException(e.getMessage());
        }
    }
}
