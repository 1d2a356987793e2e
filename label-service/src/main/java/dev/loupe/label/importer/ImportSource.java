package dev.loupe.label.importer;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Files to import, from a zip archive, a server folder, a bucket prefix or a manifest. */
public interface ImportSource extends AutoCloseable {

    /** A name for the user: the upload's file name, the folder path or the s3:// URI. */
    String name();

    /** The request field that named this source, which problems with it as a whole name. */
    default String field() {
        return "file";
    }

    /** Where an entry goes: by default its folders in ImageFolder layout ({@link ImportLayout}). */
    default ImportLayout.Placement place(ImportEntry entry, Function<String, Optional<String>> canonicalClass) {
        return ImportLayout.place(entry.path(), canonicalClass);
    }

    /** Every regular file, in a stable order. */
    List<ImportEntry> entries();

    /** The bytes of one entry, refusing to read more than {@code limit} bytes. */
    byte[] read(ImportEntry entry, long limit) throws IOException;

    @Override
    void close() throws IOException;
}
