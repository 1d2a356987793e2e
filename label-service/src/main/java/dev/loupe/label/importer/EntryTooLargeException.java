package dev.loupe.label.importer;

import java.io.IOException;

/** An entry turned out bigger than allowed while it was read (its declared size may lie). */
public class EntryTooLargeException extends IOException {
    public EntryTooLargeException(long limit) {
        super("file is larger than the limit of " + limit + " bytes");
    }
}
