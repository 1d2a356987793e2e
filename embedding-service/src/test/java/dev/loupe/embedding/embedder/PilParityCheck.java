package dev.loupe.embedding.embedder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Manual parity check on any number of images: compares the Java 8-bit 64x64 result with the {@code .gray64.txt}
 * files {@code src/test/python/write_expected.py} wrote next to them. Not a test because it needs Python/PIL and
 * an image directory; the committed fixtures cover the same rules in {@link PreprocessorTest}.
 *
 * <p>Usage: {@code java -cp <test classpath> dev.loupe.embedding.embedder.PilParityCheck DIR}
 */
public final class PilParityCheck {

    private PilParityCheck() {
    }

    public static void main(String[] args) throws Exception {
        Preprocessor preprocessor = Preprocessor.gray64();
        List<Path> expectedFiles;
        try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
            expectedFiles = files.filter(p -> p.toString().endsWith(".gray64.txt")).sorted().toList();
        }
        int worstOverall = 0;
        int exact = 0;
        int failed = 0;
        for (Path expectedFile : expectedFiles) {
            String name = expectedFile.getFileName().toString();
            Path image = expectedFile.resolveSibling(name.substring(0, name.length() - ".gray64.txt".length()));
            byte[] expected = HexFormat.of().parseHex(Files.readString(expectedFile, StandardCharsets.US_ASCII)
                    .replace("\n", ""));
            byte[] actual;
            try {
                actual = preprocessor.resizedPlanes(Files.readAllBytes(image))[0];
            } catch (ImageDecodeException e) {
                failed++;
                System.out.printf("%-60s NOT DECODED: %s%n", image, e.getMessage());
                continue;
            }
            int worst = 0;
            int differing = 0;
            for (int i = 0; i < expected.length; i++) {
                int d = Math.abs((expected[i] & 0xff) - (actual[i] & 0xff));
                worst = Math.max(worst, d);
                differing += d > 0 ? 1 : 0;
            }
            exact += worst == 0 ? 1 : 0;
            worstOverall = Math.max(worstOverall, worst);
            if (worst > 0) {
                System.out.printf("%-60s max diff %d, %d pixels differ%n", image, worst, differing);
            }
        }
        System.out.printf("%d images: %d bit-exact, %d not decoded, max abs diff %d%n",
                expectedFiles.size(), exact, failed, worstOverall);
    }
}
