package dev.loupe.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Small ImageFolder copies of the DCAI set for tests, made in a temporary folder (never in the repository). */
final class Subsets {

    private Subsets() {
    }

    /** The first {@code perClass} files (by name) of each class of {@code from/<class>/} into {@code to/<class>/}. */
    static void copy(Path from, Path to, List<String> classes, int perClass) throws IOException {
        for (String c : classes) {
            Files.createDirectories(to.resolve(c));
            try (Stream<Path> files = Files.list(from.resolve(c))) {
                for (Path f : files.sorted().limit(perClass).toList()) {
                    Files.copy(f, to.resolve(c).resolve(f.getFileName()));
                }
            }
        }
    }

    /** {@code root/train} and {@code root/val} with the given counts per class. */
    static Path imageFolder(Path dcai, Path root, List<String> classes, int train, int val) throws IOException {
        copy(dcai.resolve("train"), root.resolve("train"), classes, train);
        copy(dcai.resolve("val"), root.resolve("val"), classes, val);
        return root;
    }
}
