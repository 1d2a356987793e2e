package dev.loupe.label.importer;

import dev.loupe.label.blob.S3Uri;

/** A source whose files are objects in a bucket, so images may be imported by reference instead of copied. */
public interface ReferenceImportSource extends ImportSource {

    /** The object an entry was read from. */
    S3Uri uri(ImportEntry entry);
}
