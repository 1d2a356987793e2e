package dev.loupe.embedding.embedder;

import java.nio.file.Path;

/** A model that cannot be used. The message always names the file and the reason, for the start-up log. */
public class ModelLoadException extends RuntimeException {

    private final transient Path file;

    public ModelLoadException(Path file, String reason, Throwable cause) {
        super("Cannot load TorchScript model " + file.toAbsolutePath() + ": " + reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
