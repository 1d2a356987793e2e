package dev.loupe.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateDemoTest {

    @TempDir
    Path dir;

    @Test
    void writesZipAndGroundTruthAndSummarises() throws Exception {
        Path zip = dir.resolve("out/demo.zip"), csv = dir.resolve("out/truth.csv");
        Result r = run("--out", zip.toString(), "--ground-truth", csv.toString(), "--per-class", "4",
                "--seed", "5", "--wrong", "0.1", "--junk", "0.05", "--val", "0.5");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("wrote 40 images (20 train, 20 val; 4 mislabeled, 2 junk) in 10 classes"), r.out);
        assertEquals(1, r.out.strip().lines().count());
        try (var z = new ZipFile(zip.toFile())) {
            assertEquals(40, z.size());
            assertTrue(z.stream().allMatch(e -> e.getName().matches("(train|val)/[ivx]+/syn-5-\\d{6}\\.png")));
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(41, lines.size());
        assertEquals(4, lines.stream().filter(l -> l.endsWith(",MISLABELED")).count());
        assertFalse(Files.exists(dir.resolve("out/demo.zip.part")), "temp file left behind");
    }

    @Test
    void badArgumentsPrintUsageAndExitWithTwo() {
        for (String[] args : List.of(
                new String[] {},
                new String[] {"--per-class", "3"},
                new String[] {"--out", "x.zip", "--bogus", "1"},
                new String[] {"--out", "x.zip", "--per-class", "many"},
                new String[] {"--out", "x.zip", "--wrong", "1.5"},
                new String[] {"--out"})) {
            Result r = run(args);
            assertEquals(2, r.code, String.join(" ", args));
            assertTrue(r.err.contains("usage: GenerateDemo --out <zip>"), r.err);
            assertTrue(r.err.startsWith("error: "), r.err);
        }
        assertFalse(Files.exists(Path.of("x.zip")));
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = GenerateDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
