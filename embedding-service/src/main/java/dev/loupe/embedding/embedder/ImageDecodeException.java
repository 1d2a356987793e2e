package dev.loupe.embedding.embedder;

/** An image that cannot be decoded or is not acceptable (format, size, sample type). Affects that image only. */
public class ImageDecodeException extends Exception {

    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
