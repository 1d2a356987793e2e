package dev.loupe.dataset.version;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * File paths inside an export: {@code <side>/<class>/<file name>}, the layout ImageFolder readers (torchvision,
 * Keras, the competition's script) take as is. Names stay the imported ones where they can; a clash in one folder
 * gets the item id's first 8 characters appended. Nothing can climb out of its folder.
 */
public final class ExportPaths {

    private final Set<String> used = new HashSet<>();

    /** Call in a fixed order (e.g. by item id): the same version always gets the same paths. */
    public String next(String side, String label, String originalPath, UUID itemId) {
        String folder = side + "/" + safe(label);
        String name = originalPath == null || originalPath.isBlank() ? itemId + ".png" : baseName(originalPath);
        String candidate = folder + "/" + name;
        if (!used.add(candidate.toLowerCase(Locale.ROOT))) {
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : "";
            candidate = folder + "/" + stem + "-" + itemId.toString().substring(0, 8) + ext;
            if (!used.add(candidate.toLowerCase(Locale.ROOT))) {
                candidate = folder + "/" + stem + "-" + itemId + ext;
                used.add(candidate.toLowerCase(Locale.ROOT));
            }
        }
        return candidate;
    }

    static String baseName(String path) {
        String normalised = path.replace('\\', '/');
        String name = normalised.substring(normalised.lastIndexOf('/') + 1);
        name = safe(name);
        return name.isEmpty() ? "image.png" : name;
    }

    /** One path segment: no separators, no "." or "..", no control characters. */
    static String safe(String segment) {
        String s = segment.replaceAll("[/\\\\:*?\"<>|\\p{Cntrl}]", "_").strip();
        if (s.equals(".") || s.equals("..") || s.isEmpty()) {
            return "_" + s.replace('.', '_');
        }
        return s;
    }
}
