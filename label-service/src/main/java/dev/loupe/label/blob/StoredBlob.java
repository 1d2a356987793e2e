package dev.loupe.label.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An image's bytes as a store hands them out: in memory ({@code bytes}, the database) or as a stream to pass on
 * without holding the whole image ({@code stream}, object storage). Exactly one of the two is set.
 */
public record StoredBlob(String contentType, long size, byte[] bytes, InputStream stream) implements AutoCloseable {

    public static StoredBlob inMemory(String contentType, byte[] bytes) {
        return new StoredBlob(contentType, bytes.length, bytes, null);
    }

    public static StoredBlob streamed(String contentType, long size, InputStream stream) {
        return new StoredBlob(contentType, size, null, stream);
    }

    /** All bytes (reads and closes the stream), for callers that decode the image. */
    public byte[] readAllBytes() {
        if (bytes != null) {
            return bytes;
        }
        try (InputStream in = stream) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the image's bytes from the store", e);
        }
    }

    @Override
    public void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // nothing was promised about a stream abandoned half-read
            }
        }
    }
}
