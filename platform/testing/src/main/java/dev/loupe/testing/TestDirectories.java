package dev.loupe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** Scratch directories for embedded servers under the module's {@code target/}. */
final class TestDirectories {

    private TestDirectories() {
    }

    /**
     * Surefire runs with the module folder as working directory, so {@code target/} is the
     * module's build dir and {@code mvn clean} removes leftovers of crashed runs. The random
     * suffix keeps test resources of different test classes in one JVM apart.
     */
    static Path newUnderTarget(String prefix) {
        return Path.of("target", prefix + "-" + UUID.randomUUID()).toAbsolutePath();
    }

    /** Best effort: a leftover directory only costs disk space until the next clean. */
    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }
}
