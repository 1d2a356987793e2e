package dev.loupe.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The real 2021 DCAI Roman-numeral set, read where the build finds it (system property {@code loupe.dcai.dir},
 * else {@code ../shared/datasets/dcai-roman-2021} beside the repository) and never copied into the repository:
 * tests that need it are skipped where it is absent.
 */
public final class DcaiDataset {

    private DcaiDataset() {
    }

    /** The set's folder; skips the calling test when it is not there. */
    public static Path requireOrSkip() {
        Path dir = location();
        Assumptions.assumeTrue(Files.isDirectory(dir.resolve("train")), "the DCAI 2021 set is not at " + dir);
        return dir;
    }

    /** The set's folder when it is there (for tests that fall back to synthetic data without it). */
    public static java.util.Optional<Path> find() {
        Path dir = location();
        return Files.isDirectory(dir.resolve("train")) ? java.util.Optional.of(dir) : java.util.Optional.empty();
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
