package dev.loupe.training;

import dev.loupe.training.Dataset.Example;
import dev.loupe.training.Dataset.Skipped;
import dev.loupe.training.TrainingException.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the trainer's inputs into memory, decoding and preprocessing every image once:
 * <ul>
 *   <li>a Loupe export zip: {@code manifest.csv} ({@code path,label,split,sha256,item_id,source,original_path,
 *       provenance}) and the images at the manifest's paths ({@code train/<class>/<file>}, {@code val/<class>/<file>});
 *       labels and splits come from the manifest, ids are the item ids;</li>
 *   <li>an ImageFolder, as a directory or as a zip without a manifest: {@code train/<class>/<file>} and
 *       {@code val/<class>/<file>} (the DCAI competition's layout); ids are the paths;</li>
 *   <li>a test ImageFolder {@code <class>/<file>} (e.g. the DCAI {@code label_book}), whose class folders must be
 *       exactly the training classes.</li>
 * </ul>
 * Classes are sorted by name (as Keras' {@code image_dataset_from_directory} sorts them when not given), images by
 * path within each side (so the same images in another order, e.g. an export of a re-import, train identically). Images
 * that fail to decode are skipped and listed; hidden files ({@code .*}) and {@code __MACOSX/} are ignored.
 */
public final class DatasetLoader {

    static final String MANIFEST = "manifest.csv";
    static final List<String> MANIFEST_COLUMNS =
            List.of("path", "label", "split", "sha256", "item_id", "source", "original_path", "provenance");

    private DatasetLoader() {
    }

    /** A test set: examples labelled with the training classes' indices. */
    public record TestSet(List<Example> items, List<Skipped> skipped) {
        public TestSet {
            items = List.copyOf(items);
            skipped = List.copyOf(skipped);
        }
    }

    /** An export zip, an ImageFolder zip or an ImageFolder directory, told apart by their contents. */
    public static Dataset load(Path zipOrDirectory) {
        if (Files.isDirectory(zipOrDirectory)) {
            return fromImageFolder(zipOrDirectory);
        }
        if (Files.isRegularFile(zipOrDirectory)) {
            return fromZip(zipOrDirectory);
        }
        throw new TrainingException(Reason.UNREADABLE_INPUT, "no such file or directory: " + zipOrDirectory);
    }

    /** A directory holding {@code train/<class>/<file>} and {@code val/<class>/<file>}. */
    public static Dataset fromImageFolder(Path root) {
        Path train = root.resolve("train");
        Path val = root.resolve("val");
        if (!Files.isDirectory(train)) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, root + " has no train/ folder (expected train/<class>/<file>"
                    + " and val/<class>/<file>)");
        }
        Map<String, List<Raw>> raw = new LinkedHashMap<>();
        raw.put("train", listFolder(train, "train/"));
        raw.put("val", Files.isDirectory(val) ? listFolder(val, "val/") : List.of());
        return build(raw);
    }

    /** An export zip (with {@code manifest.csv}) or an ImageFolder zip (without). */
    public static Dataset fromZip(Path zipPath) {
        try (ZipFile zip = new ZipFile(zipPath.toFile())) {
            ZipEntry manifest = zip.getEntry(MANIFEST);
            Map<String, List<Raw>> raw = manifest != null ? fromManifest(zip, manifest) : fromZipFolders(zip);
            return build(raw);
        } catch (IOException e) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, "cannot read zip " + zipPath + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, "cannot read zip " + zipPath + ": " + e.getMessage(), e);
        }
    }

    /**
     * A test ImageFolder {@code <class>/<file>}; its class folders must be exactly {@code classes}.
     *
     * @throws TrainingException {@link Reason#TEST_CLASSES_DIFFER} naming the missing and unexpected classes
     */
    public static TestSet testFolder(Path root, List<String> classes) {
        if (!Files.isDirectory(root)) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, "test folder " + root + " is not a directory");
        }
        Set<String> found = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).filter(n -> !hidden(n)).forEach(found::add);
        } catch (IOException e) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, "cannot list " + root + ": " + e.getMessage(), e);
        }
        Set<String> expected = new TreeSet<>(classes);
        if (!found.equals(expected)) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(found);
            Set<String> extra = new TreeSet<>(found);
            extra.removeAll(expected);
            throw new TrainingException(Reason.TEST_CLASSES_DIFFER, "the test folder's classes " + found
                    + " differ from the training classes " + expected + ": missing " + missing + ", not trained " + extra);
        }
        List<Example> items = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Raw r : listFolder(root, "")) {
            decode(r, classes.indexOf(r.label), items, skipped);
        }
        return new TestSet(items, skipped);
    }

    /** One image before decoding: where it is, its label, and how to read its bytes. */
    private record Raw(String id, String path, String label, BytesSource bytes) {
    }

    @FunctionalInterface
    private interface BytesSource {
        byte[] read() throws IOException;
    }

    private static Dataset build(Map<String, List<Raw>> raw) {
        Set<String> labels = new TreeSet<>();
        raw.values().forEach(list -> list.forEach(r -> labels.add(r.label)));
        List<String> classes = List.copyOf(labels);
        List<Skipped> skipped = new ArrayList<>();
        List<Example> train = new ArrayList<>();
        List<Example> val = new ArrayList<>();
        // in path order, whatever order the source listed them in (an export lists by item id, new at every import):
        // the same images train the same way, so a re-imported set reproduces its numbers
        for (Raw r : byPath(raw.get("train"))) {
            decode(r, classes.indexOf(r.label), train, skipped);
        }
        for (Raw r : byPath(raw.get("val"))) {
            decode(r, classes.indexOf(r.label), val, skipped);
        }
        return new Dataset(classes, train, val, skipped);
    }

    private static List<Raw> byPath(List<Raw> items) {
        List<Raw> sorted = new ArrayList<>(items);
        sorted.sort(java.util.Comparator.comparing(Raw::path));
        return sorted;
    }

    private static void decode(Raw r, int label, List<Example> into, List<Skipped> skipped) {
        byte[] bytes;
        try {
            bytes = r.bytes.read();
        } catch (IOException e) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, "cannot read " + r.path + ": " + e.getMessage(), e);
        }
        try {
            into.add(new Example(r.id, r.path, label, Preprocessing.preprocess(bytes)));
        } catch (Preprocessing.ImageDecodeException e) {
            skipped.add(new Skipped(r.path, e.getMessage()));
        }
    }

    /** {@code <class>/<file>} under {@code dir}, sorted; paths prefixed with {@code prefix}. */
    private static List<Raw> listFolder(Path dir, String prefix) {
        List<Raw> out = new ArrayList<>();
        try (Stream<Path> classDirs = Files.list(dir)) {
            for (Path classDir : classDirs.filter(Files::isDirectory).sorted().toList()) {
                String label = classDir.getFileName().toString();
                if (hidden(label)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(classDir)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        String name = f.getFileName().toString();
                        if (hidden(name)) {
                            continue;
                        }
                        String path = prefix + label + "/" + name;
                        out.add(new Raw(path, path, label, () -> Files.readAllBytes(f)));
                    }
                }
            }
        } catch (IOException e) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Map<String, List<Raw>> fromZipFolders(ZipFile zip) {
        Map<String, List<Raw>> raw = new LinkedHashMap<>();
        raw.put("train", new ArrayList<>());
        raw.put("val", new ArrayList<>());
        List<ZipEntry> entries = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            entries.add(e.nextElement());
        }
        entries.sort((a, b) -> a.getName().compareTo(b.getName()));
        for (ZipEntry entry : entries) {
            if (entry.isDirectory()) {
                continue;
            }
            String[] parts = entry.getName().split("/");
            if (parts.length != 3 || !raw.containsKey(parts[0]) || hidden(parts[1]) || hidden(parts[2])) {
                continue;
            }
            raw.get(parts[0]).add(new Raw(entry.getName(), entry.getName(), parts[1], () -> readEntry(zip, entry)));
        }
        if (raw.get("train").isEmpty() && raw.get("val").isEmpty()) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, "the zip has neither " + MANIFEST
                    + " nor train/<class>/<file> images");
        }
        // decoded while the zip is open: build() runs inside fromZip's try block
        return raw;
    }

    private static Map<String, List<Raw>> fromManifest(ZipFile zip, ZipEntry manifest) throws IOException {
        List<List<String>> rows = Csv.parse(new String(readEntry(zip, manifest), StandardCharsets.UTF_8));
        if (rows.isEmpty()) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, MANIFEST + " is empty");
        }
        List<String> header = rows.get(0);
        int path = column(header, "path");
        int label = column(header, "label");
        int split = column(header, "split");
        int itemId = column(header, "item_id");
        Map<String, List<Raw>> raw = new LinkedHashMap<>();
        raw.put("train", new ArrayList<>());
        raw.put("val", new ArrayList<>());
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue; // blank line
            }
            if (row.size() < header.size()) {
                throw new TrainingException(Reason.UNREADABLE_INPUT, MANIFEST + " line " + (i + 1) + " has " + row.size()
                        + " cells, the header " + header.size());
            }
            List<Raw> side = raw.get(row.get(split));
            if (side == null) {
                continue; // only train and val are exported; anything else is not ours to train on
            }
            String p = row.get(path);
            ZipEntry entry = zip.getEntry(p);
            if (entry == null) {
                throw new TrainingException(Reason.UNREADABLE_INPUT, MANIFEST + " lists " + p + ", which is not in the zip");
            }
            String id = unformula(row.get(itemId));
            side.add(new Raw(id.isEmpty() ? p : id, p, unformula(row.get(label)), () -> readEntry(zip, entry)));
        }
        return raw;
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new TrainingException(Reason.UNREADABLE_INPUT, MANIFEST + " has no column " + name + " (expected "
                    + String.join(",", MANIFEST_COLUMNS) + ")");
        }
        return i;
    }

    /** The exporter prefixes a cell starting with =, +, - or @ with ' (spreadsheet formula guard): undo it. */
    static String unformula(String cell) {
        if (cell.length() >= 2 && cell.charAt(0) == '\'' && "=+-@".indexOf(cell.charAt(1)) >= 0) {
            return cell.substring(1);
        }
        return cell;
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    private static boolean hidden(String name) {
        return name.startsWith(".") || name.equals("__MACOSX");
    }

    /** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks. */
    static final class Csv {
        private Csv() {
        }

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            int i = 0;
            int n = text.length();
            if (n > 0 && text.charAt(0) == '\uFEFF') {
                i = 1;
            }
            for (; i < n; i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(cell.toString());
                    cell.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    row.add(cell.toString());
                    cell.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else {
                    cell.append(c);
                }
            }
            if (cell.length() > 0 || !row.isEmpty()) {
                row.add(cell.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
