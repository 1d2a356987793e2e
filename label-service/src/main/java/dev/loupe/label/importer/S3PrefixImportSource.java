package dev.loupe.label.importer;

import dev.loupe.label.blob.S3Uri;
import dev.loupe.label.blob.SourceBuckets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects under a bucket prefix in ImageFolder layout ({@code <prefix><class>/<file>} or
 * {@code <prefix><split>/<class>/<file>}). The listing is read page by page and keeps each key's length only (no
 * bytes); more objects than {@code maxEntries} refuse the import. Each object is read when its batch is imported,
 * refused before reading when its listed or served length is above the limit.
 */
public final class S3PrefixImportSource implements ReferenceImportSource {

    private final SourceBuckets buckets;
    private final S3Uri prefix;
    private final Map<String, Long> sizes;
    private final List<ImportEntry> entries;

    private S3PrefixImportSource(SourceBuckets buckets, S3Uri prefix, Map<String, Long> sizes) {
        this.buckets = buckets;
        this.prefix = prefix;
        this.sizes = sizes;
        List<ImportEntry> list = new ArrayList<>(sizes.size());
        sizes.forEach((path, size) -> list.add(new ImportEntry(path, size)));
        this.entries = list;
    }

    /** Lists the prefix (a prefix not ending in '/' is taken as a folder); refuses an empty or too large one. */
    public static S3PrefixImportSource open(SourceBuckets buckets, S3Uri uri, int maxEntries) throws ArchiveRejectedException {
        S3Uri prefix = uri.key().isEmpty() || uri.key().endsWith("/") ? uri : new S3Uri(uri.bucket(), uri.key() + "/");
        Map<String, Long> sizes = new LinkedHashMap<>();
        try {
            var objects = buckets.list(prefix).iterator();
            while (objects.hasNext()) {
                var object = objects.next();
                if (sizes.size() == maxEntries) {
                    throw new ArchiveRejectedException("more than the limit of " + maxEntries + " objects under " + prefix);
                }
                sizes.put(object.key().substring(prefix.key().length()), object.size());
            }
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new ArchiveRejectedException("could not list " + prefix + ": " + e.getMessage());
        }
        if (sizes.isEmpty()) {
            throw new ArchiveRejectedException("no objects under " + prefix);
        }
        return new S3PrefixImportSource(buckets, prefix, sizes);
    }

    @Override
    public String name() {
        return prefix.toString();
    }

    @Override
    public String field() {
        return "source";
    }

    @Override
    public List<ImportEntry> entries() {
        return entries;
    }

    @Override
    public S3Uri uri(ImportEntry entry) {
        return new S3Uri(prefix.bucket(), prefix.key() + entry.path());
    }

    @Override
    public byte[] read(ImportEntry entry, long limit) throws IOException {
        Long listed = sizes.get(entry.path());
        if (listed != null && listed > limit) {
            throw new EntryTooLargeException(limit);
        }
        return buckets.read(uri(entry), limit);
    }

    @Override
    public void close() {
        // the objects belong to their bucket
    }
}
