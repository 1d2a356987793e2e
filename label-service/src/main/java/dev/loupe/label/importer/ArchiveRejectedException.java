package dev.loupe.label.importer;

/** The archive as a whole is unacceptable (not a zip, unsafe paths, a bomb): nothing of it is imported. */
public class ArchiveRejectedException extends Exception {
    public ArchiveRejectedException(String message) {
        super(message);
    }
}
