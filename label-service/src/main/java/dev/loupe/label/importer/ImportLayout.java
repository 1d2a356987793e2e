package dev.loupe.label.importer;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads ImageFolder layouts: {@code <class>/<file>} or {@code <split>/<class>/<file>}, with any folders above
 * (a zip of a folder wraps everything in one more). The class is the file's folder; the split the folder above it
 * when that is train, val or test (common spellings accepted).
 */
public final class ImportLayout {

    private static final Map<String, String> SPLITS = Map.of(
            "train", "train", "training", "train",
            "val", "val", "valid", "val", "validation", "val",
            "test", "test", "testing", "test");

    /** Where a file goes, or why it cannot be imported, or that it is to be passed over silently. */
    public sealed interface Placement permits Placed, Rejected, Ignored {
    }

    public record Placed(String path, String label, String split) implements Placement {
    }

    public record Rejected(String path, String folder, String reason) implements Placement {
    }

    public record Ignored(String path) implements Placement {
    }

    private ImportLayout() {
    }

    /** @param canonicalClass maps a folder name to the project's class, empty if the folder is not a class */
    public static Placement place(String path, Function<String, Optional<String>> canonicalClass) {
        if (EntryPaths.isLitter(path)) {
            return new Ignored(path);
        }
        String[] segments = path.split("/");
        if (segments.length < 2) {
            return new Rejected(path, null, "not inside a class folder");
        }
        String folder = segments[segments.length - 2];
        Optional<String> label = canonicalClass.apply(folder);
        if (label.isEmpty()) {
            return new Rejected(path, folder, "unknown class '" + folder + "'");
        }
        String split = segments.length >= 3 ? split(segments[segments.length - 3]).orElse(null) : null;
        return new Placed(path, label.get(), split);
    }

    /** The split a name means (train, val or test, common spellings accepted), if any. */
    public static Optional<String> split(String name) {
        return Optional.ofNullable(SPLITS.get(name.toLowerCase(Locale.ROOT)));
    }
}
