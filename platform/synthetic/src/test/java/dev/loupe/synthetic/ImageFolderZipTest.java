package dev.loupe.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImageFolderZipTest {

    static List<Sample> samples;

    @BeforeAll
    static void generate() {
        samples = new RomanNumeralGenerator(
                new SyntheticSpec(List.of("i", "ii", "iv", "x"), 6, 0.5, 0.25, 0.125, 11L)).generate();
    }

    @Test
    void zipHoldsExactlyTheSamplesInImageFolderLayout() throws Exception {
        var bytes = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, bytes);

        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (var zip = new ZipInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                assertFalse(e.isDirectory(), e.getName());
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        assertEquals(samples.stream().map(Sample::path).toList(), new ArrayList<>(entries.keySet()));
        for (Sample s : samples) {
            assertArrayEquals(s.png(), entries.get(s.path()), s.path());
            String[] parts = s.path().split("/");
            assertEquals(3, parts.length, s.path());
            assertEquals(s.split(), parts[0]);
            assertEquals(s.givenLabel(), parts[1]);
        }

        var again = new ByteArrayOutputStream();
        ImageFolderZip.write(samples, again);
        assertArrayEquals(bytes.toByteArray(), again.toByteArray(), "zip bytes must be reproducible");
    }

    @Test
    void duplicatePathsAreRefused() {
        var twice = List.of(samples.get(0), samples.get(0));
        assertThrows(IllegalArgumentException.class, () -> ImageFolderZip.write(twice, new ByteArrayOutputStream()));
    }

    @Test
    void groundTruthCsvRoundTrips() throws Exception {
        var out = new StringWriter();
        ImageFolderZip.writeGroundTruthCsv(samples, out);
        String[] lines = out.toString().split("\n");
        assertEquals("path,split,given_label,true_label,kind", lines[0]);
        assertEquals(samples.size() + 1, lines.length);
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            String[] f = lines[i + 1].split(",", -1);
            assertEquals(5, f.length, lines[i + 1]);
            assertEquals(s.path(), f[0]);
            assertEquals(s.split(), f[1]);
            assertEquals(s.givenLabel(), f[2]);
            assertEquals(s.trueLabel(), f[3].isEmpty() ? null : f[3]);
            assertEquals(s.kind(), SampleKind.valueOf(f[4]));
        }
        assertEquals(6, samples.stream().filter(s -> s.kind() == SampleKind.MISLABELED).count());
        assertEquals(3, samples.stream().filter(s -> s.kind() == SampleKind.JUNK).count());
    }
}
