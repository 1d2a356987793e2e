package dev.loupe.label.importer;

import dev.loupe.label.blob.S3Uri;
import dev.loupe.label.blob.SourceBuckets;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A manifest CSV in an allowed bucket: a header {@code uri,label[,split]} (any order) and one row per image, whose
 * {@code uri} is an {@code s3://} object in an allowed bucket. The manifest as a whole is refused (a missing or
 * unreadable object, too large, a bad header, more rows than {@code maxEntries}); a bad row is one failure of the
 * import naming its line, and the other rows are imported.
 */
public final class ManifestImportSource implements ReferenceImportSource {

    private static final List<String> COLUMNS = List.of("uri", "label", "split");

    /** One row: the object and its label and split, or why it cannot be imported. */
    private record Row(int line, S3Uri uri, String label, String split, String problem) {
    }

    private final SourceBuckets buckets;
    private final S3Uri manifest;
    private final Map<String, Row> rows;
    private final List<ImportEntry> entries;

    private ManifestImportSource(SourceBuckets buckets, S3Uri manifest, Map<String, Row> rows) {
        this.buckets = buckets;
        this.manifest = manifest;
        this.rows = rows;
        this.entries = rows.keySet().stream().map(path -> new ImportEntry(path, -1)).toList();
    }

    /** Reads and parses the manifest, refusing it whole when it cannot be read or its header is wrong. */
    public static ManifestImportSource open(SourceBuckets buckets, S3Uri manifest, long maxBytes, int maxEntries)
            throws ArchiveRejectedException {
        byte[] bytes;
        try {
            bytes = buckets.read(manifest, maxBytes);
        } catch (FileNotFoundException e) {
            throw new ArchiveRejectedException("no such object " + manifest);
        } catch (SourceBuckets.ObjectTooLargeException e) {
            throw new ArchiveRejectedException("the manifest " + e.getMessage().replace("object ", ""));
        } catch (IOException e) {
            throw new ArchiveRejectedException(e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ArchiveRejectedException("the manifest is not UTF-8 text");
        }
        List<CsvRecords.Record> records = CsvRecords.parse(text);
        if (records.isEmpty()) {
            throw new ArchiveRejectedException("the manifest is empty; it needs a header uri,label[,split] and a row per image");
        }
        Map<String, Integer> columns = header(records.getFirst().fields());
        if (records.size() == 1) {
            throw new ArchiveRejectedException("the manifest has a header but no rows");
        }
        if (records.size() - 1 > maxEntries) {
            throw new ArchiveRejectedException("the manifest has " + (records.size() - 1) + " rows, more than the limit of "
                    + maxEntries);
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (CsvRecords.Record record : records.subList(1, records.size())) {
            Row row = row(record, columns, buckets);
            String path = row.uri() == null ? "line " + record.line() : row.uri().toString();
            Integer earlier = lineOf.putIfAbsent(path, record.line());
            if (earlier != null) {
                row = new Row(record.line(), null, null, null, "the same object as line " + earlier);
                path = "line " + record.line() + " " + path;
            }
            rows.put(path, row);
        }
        return new ManifestImportSource(buckets, manifest, rows);
    }

    private static Map<String, Integer> header(List<String> fields) throws ArchiveRejectedException {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.get(i).strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name) || columns.putIfAbsent(name, i) != null) {
                throw badHeader(fields);
            }
        }
        if (!columns.containsKey("uri") || !columns.containsKey("label")) {
            throw badHeader(fields);
        }
        return columns;
    }

    private static ArchiveRejectedException badHeader(List<String> fields) {
        String shown = String.join(",", fields);
        return new ArchiveRejectedException("the manifest's first line must be the header uri,label or uri,label,split"
                + " (any order), not '" + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown) + "'");
    }

    private static Row row(CsvRecords.Record record, Map<String, Integer> columns, SourceBuckets buckets) {
        int line = record.line();
        List<String> fields = record.fields();
        if (fields.size() != columns.size()) {
            return new Row(line, null, null, null, "has " + fields.size() + " fields, the header " + columns.size());
        }
        String rawUri = fields.get(columns.get("uri")).strip();
        String label = fields.get(columns.get("label")).strip();
        String rawSplit = columns.containsKey("split") ? fields.get(columns.get("split")).strip() : "";
        Optional<S3Uri> uri = S3Uri.parse(rawUri).filter(u -> !u.key().isEmpty() && !u.key().endsWith("/"));
        if (uri.isEmpty()) {
            return new Row(line, null, null, null, "'" + shorten(rawUri) + "' is not the s3:// URI of an object");
        }
        if (!buckets.allows(uri.get().bucket())) {
            return new Row(line, uri.get(), null, null, buckets.notAllowed(uri.get().bucket()));
        }
        if (label.isEmpty()) {
            return new Row(line, uri.get(), null, null, "no label");
        }
        Optional<String> split = rawSplit.isEmpty() ? Optional.empty() : ImportLayout.split(rawSplit);
        if (!rawSplit.isEmpty() && split.isEmpty()) {
            return new Row(line, uri.get(), null, null, "unknown split '" + shorten(rawSplit) + "' (train, val or test)");
        }
        return new Row(line, uri.get(), label, split.orElse(null), null);
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Override
    public String name() {
        return manifest.toString();
    }

    @Override
    public String field() {
        return "manifest";
    }

    @Override
    public List<ImportEntry> entries() {
        return entries;
    }

    @Override
    public ImportLayout.Placement place(ImportEntry entry, Function<String, Optional<String>> canonicalClass) {
        Row row = rows.get(entry.path());
        if (row.problem() != null) {
            return new ImportLayout.Rejected(entry.path(), null, "line " + row.line() + ": " + row.problem());
        }
        Optional<String> label = canonicalClass.apply(row.label());
        if (label.isEmpty()) {
            return new ImportLayout.Rejected(entry.path(), row.label(),
                    "line " + row.line() + ": unknown class '" + shorten(row.label()) + "'");
        }
        return new ImportLayout.Placed(entry.path(), label.get(), row.split());
    }

    @Override
    public S3Uri uri(ImportEntry entry) {
        return rows.get(entry.path()).uri();
    }

    @Override
    public byte[] read(ImportEntry entry, long limit) throws IOException {
        Row row = rows.get(entry.path());
        try {
            return buckets.read(row.uri(), limit);
        } catch (IOException e) {
            throw new IOException("line " + row.line() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // the manifest and the objects belong to their buckets
    }
}
