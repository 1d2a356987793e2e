package dev.loupe.label.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A zip archive, checked as a whole before anything is imported: entry paths must stay inside the archive
 * (no zip slip), and the entry count, the declared total size and each large entry's expansion ratio must stay
 * within limits (no zip bomb). Reads are bounded again while decompressing, because declared sizes can lie.
 * Owns the file and deletes it on close.
 */
public final class ZipImportSource implements ImportSource {

    private static final long RATIO_CHECK_MIN_BYTES = 1L << 20;

    private final String name;
    private final Path file;
    private final ZipFile zip;
    private final Map<String, ZipEntry> byPath;
    private final List<ImportEntry> entries;

    private ZipImportSource(String name, Path file, ZipFile zip, Map<String, ZipEntry> byPath) {
        this.name = name;
        this.file = file;
        this.zip = zip;
        this.byPath = byPath;
        this.entries = byPath.entrySet().stream()
                .map(e -> new ImportEntry(e.getKey(), e.getValue().getSize()))
                .toList();
    }

    public static ZipImportSource open(String name, Path file, ZipLimits limits) throws ArchiveRejectedException, IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new ArchiveRejectedException("not a zip archive (" + e.getMessage() + ")");
        }
        try {
            return new ZipImportSource(name, file, zip, check(zip, limits));
        } catch (ArchiveRejectedException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static Map<String, ZipEntry> check(ZipFile zip, ZipLimits limits) throws ArchiveRejectedException {
        if (zip.size() > limits.maxEntries()) {
            throw new ArchiveRejectedException("the archive has " + zip.size() + " entries, more than the limit of "
                    + limits.maxEntries());
        }
        Map<String, ZipEntry> files = new LinkedHashMap<>();
        long total = 0;
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry entry = all.nextElement();
            String path = entry.getName();
            String unsafe = EntryPaths.unsafeReason(path);
            if (unsafe != null) {
                throw new ArchiveRejectedException("unsafe entry path '" + path + "': " + unsafe);
            }
            if (entry.isDirectory()) {
                continue;
            }
            long size = entry.getSize();
            long compressed = entry.getCompressedSize();
            if (size < 0) {
                throw new ArchiveRejectedException("entry '" + path + "' does not declare its size");
            }
            total += size;
            if (total > limits.maxTotalBytes()) {
                throw new ArchiveRejectedException("the archive expands to more than " + limits.maxTotalBytes()
                        + " bytes (zip bomb?)");
            }
            if (size > RATIO_CHECK_MIN_BYTES && compressed > 0 && size / compressed > limits.maxCompressionRatio()) {
                throw new ArchiveRejectedException("entry '" + path + "' expands " + size / compressed
                        + " times, more than the limit of " + limits.maxCompressionRatio() + " (zip bomb?)");
            }
            files.put(EntryPaths.normalize(path), entry);
        }
        return files;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ImportEntry> entries() {
        return entries;
    }

    @Override
    public byte[] read(ImportEntry entry, long limit) throws IOException {
        ZipEntry zipEntry = byPath.get(entry.path());
        if (zipEntry == null) {
            throw new IOException("entry vanished from the archive");
        }
        long bound = Math.min(limit, entry.declaredSize());
        try (InputStream in = zip.getInputStream(zipEntry)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bound + 1));
            if (bytes.length > bound) {
                throw new EntryTooLargeException(bound);
            }
            return bytes;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            zip.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Limits that keep one archive from exhausting memory or disk. */
    public record ZipLimits(int maxEntries, long maxTotalBytes, int maxCompressionRatio) {
    }
}
