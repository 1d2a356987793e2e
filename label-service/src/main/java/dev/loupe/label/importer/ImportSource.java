package dev.loupe.label.importer;

import java.io.IOException;
import java.util.List;

/** Files to import, from a zip archive or a server folder. */
public interface ImportSource extends AutoCloseable {

    /** A name for the user: the upload's file name or the folder path. */
    String name();

    /** Every regular file, in a stable order. */
    List<ImportEntry> entries();

    /** The bytes of one entry, refusing to read more than {@code limit} bytes. */
    byte[] read(ImportEntry entry, long limit) throws IOException;

    @Override
    void close() throws IOException;
}
