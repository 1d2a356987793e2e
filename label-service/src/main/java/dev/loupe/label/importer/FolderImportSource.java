package dev.loupe.label.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A folder on the server in ImageFolder layout; symbolic links are not followed out of it. */
public final class FolderImportSource implements ImportSource {

    private final Path root;
    private final List<ImportEntry> entries;

    private FolderImportSource(Path root, List<ImportEntry> entries) {
        this.root = root;
        this.entries = entries;
    }

    public static FolderImportSource open(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            List<ImportEntry> entries = walk
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> new ImportEntry(root.relativize(p).toString().replace('\\', '/'), sizeOf(p)))
                    .sorted(Comparator.comparing(ImportEntry::path))
                    .toList();
            return new FolderImportSource(root, entries);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String name() {
        return root.toString();
    }

    @Override
    public List<ImportEntry> entries() {
        return entries;
    }

    @Override
    public byte[] read(ImportEntry entry, long limit) throws IOException {
        try (InputStream in = Files.newInputStream(root.resolve(entry.path()), LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw new EntryTooLargeException(limit);
            }
            return bytes;
        }
    }

    @Override
    public void close() {
        // the folder belongs to the user
    }
}
