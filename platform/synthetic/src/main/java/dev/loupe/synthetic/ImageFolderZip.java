package dev.loupe.synthetic;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.HashSet;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes samples the way users hand datasets to Loupe: a zip of {@code <split>/<class>/<file>.png}. */
public final class ImageFolderZip {

    /** Fixed entry time so the same samples always give the same zip bytes. */
    private static final long ENTRY_TIME = 1_622_505_600_000L; // 2021-06-01, the competition's season

    public static final String CSV_HEADER = "path,split,given_label,true_label,kind";

    private ImageFolderZip() {
    }

    /**
     * Writes only file entries (no directory entries, no ground truth: the answers must not travel with
     * the data they grade). PNGs are stored, not deflated, since they are already compressed.
     * Does not close {@code out}.
     */
    public static void write(List<Sample> samples, OutputStream out) throws IOException {
        var seen = new HashSet<String>();
        var zip = new ZipOutputStream(out);
        for (Sample s : samples) {
            if (!seen.add(s.path())) {
                throw new IllegalArgumentException("duplicate path " + s.path());
            }
            var entry = new ZipEntry(s.path());
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(s.png().length);
            entry.setCompressedSize(s.png().length);
            var crc = new CRC32();
            crc.update(s.png());
            entry.setCrc(crc.getValue());
            entry.setTime(ENTRY_TIME);
            zip.putNextEntry(entry);
            zip.write(s.png());
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /**
     * One row per sample; {@code true_label} is empty for junk. Values never need quoting because
     * paths and labels are limited to {@code [a-z0-9/._-]}. Does not close {@code out}.
     */
    public static void writeGroundTruthCsv(List<Sample> samples, Writer out) throws IOException {
        out.write(CSV_HEADER);
        out.write('\n');
        for (Sample s : samples) {
            out.write(s.path());
            out.write(',');
            out.write(s.split());
            out.write(',');
            out.write(s.givenLabel());
            out.write(',');
            out.write(s.trueLabel() == null ? "" : s.trueLabel());
            out.write(',');
            out.write(s.kind().name());
            out.write('\n');
        }
        out.flush();
    }
}
