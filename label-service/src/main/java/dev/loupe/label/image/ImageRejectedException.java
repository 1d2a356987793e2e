package dev.loupe.label.image;

/** The bytes are not an image Loupe accepts; the message says why in words a user understands. */
public class ImageRejectedException extends Exception {
    public ImageRejectedException(String message) {
        super(message);
    }
}
