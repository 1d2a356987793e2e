package dev.loupe.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The real 2021 DCAI Roman-numeral set, read where the build finds it (system property {@code loupe.dcai.dir},
 * else {@code ../shared/datasets/dcai-roman-2021} beside the repository) and never copied into the repository.
 * CI has the set, so a test that needs it FAILS where it is missing under CI ({@code CI=true}) or when asked to
 * ({@code -Dloupe.require-dcai=true}); only on a developer's machine does it skip, with a banner on stderr.
 */
public final class DcaiDataset {

    /** System property that makes a missing set a failure outside CI too. */
    public static final String REQUIRE_PROPERTY = "loupe.require-dcai";

    private DcaiDataset() {
    }

    /**
     * The set's folder. Where it is missing the calling test fails under CI (or {@code -Dloupe.require-dcai=true})
     * and is skipped, loudly, elsewhere.
     */
    public static Path requireOrSkip() {
        Path dir = location();
        if (present(dir)) {
            return dir;
        }
        String message = "the DCAI 2021 set is not at " + dir + " (set -Dloupe.dcai.dir or put it at"
                + " ../shared/datasets/dcai-roman-2021 beside the repository)";
        if (required()) {
            Assertions.fail(message + ". It is required here (" + why() + "): this test needs the real set.");
        }
        banner("SKIPPED, " + message + ". Tests that need the real set do not run; CI (CI=true) fails instead.");
        Assumptions.abort(message);
        return dir; // not reached
    }

    /**
     * The set's folder when it is there, for tests that fall back to synthetic data without it; says on stderr when
     * it is not, so a run on synthetic data is never mistaken for a run on the real set.
     */
    public static Optional<Path> find() {
        Path dir = location();
        if (present(dir)) {
            return Optional.of(dir);
        }
        banner("the DCAI 2021 set is not at " + dir + ": tests that can use synthetic numerals instead use them.");
        return Optional.empty();
    }

    /** Whether a missing set is a failure here: under CI ({@code CI=true}) or with {@code -Dloupe.require-dcai=true}. */
    public static boolean required() {
        return Boolean.parseBoolean(System.getProperty(REQUIRE_PROPERTY)) || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static String why() {
        return Boolean.parseBoolean(System.getProperty(REQUIRE_PROPERTY)) ? "-D" + REQUIRE_PROPERTY + "=true" : "CI=true";
    }

    private static boolean present(Path dir) {
        return Files.isDirectory(dir.resolve("train"));
    }

    private static void banner(String text) {
        String line = "#".repeat(100);
        System.err.println(line + "\n# DcaiDataset: " + text + "\n" + line);
    }

    private static Path location() {
        return Path.of(System.getProperty("loupe.dcai.dir", "../../shared/datasets/dcai-roman-2021")).toAbsolutePath().normalize();
    }

    /** Zips the given sub-folders (e.g. train, val) of the set into {@code target}, paths relative to the set. */
    public static Path zip(Path dataset, Path target, String... folders) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target))) {
            for (String folder : folders) {
                try (Stream<Path> files = Files.walk(dataset.resolve(folder))) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        zip.putNextEntry(new ZipEntry(dataset.relativize(file).toString().replace('\\', '/')));
                        zip.write(Files.readAllBytes(file));
                        zip.closeEntry();
                    }
                }
            }
        }
        return target;
    }
}
