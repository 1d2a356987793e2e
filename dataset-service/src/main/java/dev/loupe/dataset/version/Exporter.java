package dev.loupe.dataset.version;

import dev.loupe.dataset.client.LabelServiceClient;
import dev.loupe.dataset.config.DatasetConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a version as an ImageFolder zip ({@code train/<class>/<file>}, {@code val/<class>/<file>}, plus
 * {@code manifest.csv}) or as the manifest alone. Streams: items are read from the database a page at a time and
 * images fetched from the label service a chunk at a time, so memory stays flat whatever the version's size.
 */
@ApplicationScoped
public class Exporter {

    static final String MANIFEST_HEADER = "path,label,split,sha256,item_id,source,original_path,provenance";
    private static final int PAGE = 256;

    private final VersionService versions;
    private final LabelServiceClient labels;
    private final DatasetConfig config;

    public Exporter(VersionService versions, LabelServiceClient labels, DatasetConfig config) {
        this.versions = versions;
        this.labels = labels;
        this.config = config;
    }

    public void csv(UUID versionId, OutputStream out) throws IOException {
        Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
        writeManifest(versionId, writer);
        writer.flush();
    }

    /**
     * @throws IOException when an image cannot be fetched: the response is then cut short, so a client never takes
     *                     an incomplete zip for a complete one (the zip's central directory is missing)
     */
    public void imageFolder(UUID versionId, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry("manifest.csv"));
        Writer writer = new java.io.OutputStreamWriter(zip, StandardCharsets.UTF_8);
        writeManifest(versionId, writer);
        writer.flush();
        zip.closeEntry();
        long offset = 0;
        while (true) {
            List<VersionService.VersionItem> page = versions.items(versionId, null, offset, PAGE);
            if (page.isEmpty()) {
                break;
            }
            offset += page.size();
            Map<String, Object> blobs;
            try {
                blobs = labels.blobs(new LinkedHashSet<>(page.stream().map(VersionService.VersionItem::sha256).toList()),
                        config.exportConcurrency());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("export interrupted", e);
            }
            for (VersionService.VersionItem item : page) {
                Object bytesOrError = blobs.get(item.sha256());
                if (!(bytesOrError instanceof byte[] bytes)) {
                    throw new IOException("image " + item.sha256() + " of item " + item.itemId() + " not available: "
                            + (bytesOrError instanceof Exception e ? e.getMessage() : "missing"));
                }
                ZipEntry entry = new ZipEntry(item.path());
                // images are compressed already: stored, not deflated again
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        zip.finish();
        zip.flush();
    }

    private void writeManifest(UUID versionId, Writer writer) throws IOException {
        writer.write(MANIFEST_HEADER + "\n");
        long offset = 0;
        while (true) {
            List<VersionService.VersionItem> page = versions.items(versionId, null, offset, 5000);
            if (page.isEmpty()) {
                return;
            }
            offset += page.size();
            for (VersionService.VersionItem i : page) {
                List<String> cells = new ArrayList<>(List.of(i.path(), i.label(), i.side(), i.sha256(), i.itemId().toString(),
                        nullToEmpty(i.source()), nullToEmpty(i.originalPath()), nullToEmpty(i.provenance())));
                writer.write(String.join(",", cells.stream().map(Exporter::csvCell).toList()) + "\n");
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
    static String csvCell(String value) {
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
