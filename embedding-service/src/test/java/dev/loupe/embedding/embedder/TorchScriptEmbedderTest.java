package dev.loupe.embedding.embedder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TorchScriptEmbedderTest {

    private static final List<String> MODEL_FIXTURES = List.of("rgb_noise_97x61", "rgba_shapes_80x120",
            "gray_gradient_200x150", "large_scene_523x389");
    /** Must match RGB_MEAN / RGB_STD in make_tiny_models.py. */
    private static final Normalization RGB_NORM =
            new Normalization(new float[]{0.2f, 0.3f, 0.4f}, new float[]{0.5f, 0.25f, 0.2f});

    private final EmbedderOptions options = EmbedderOptions.defaults().withBatchSize(3).withThreads(2, 2);
    private Map<String, float[]> expected;
    private TorchScriptEmbedder gray;

    @BeforeAll
    void loadModel() {
        expected = readExpected();
        // tiny_gray returns (logits, embedding); raw values so they compare with Python's.
        ModelSpec spec = ModelSpec.gray64(Fixtures.model("tiny_gray.pt"), "tiny-gray", "1")
                .withOutputIndex(1).withL2Normalize(false);
        gray = TorchScriptEmbedder.load(spec, options);
    }

    @AfterAll
    void close() {
        gray.close();
    }

    @Test
    void grayModelOutputsWhatPythonComputedOnThePilPreprocessing() {
        assertEquals(8, gray.dimension());
        float[][] vectors = gray.embed(images(MODEL_FIXTURES));

        for (int i = 0; i < MODEL_FIXTURES.size(); i++) {
            assertArrayEquals(expected.get("tiny_gray " + MODEL_FIXTURES.get(i)), vectors[i], 1e-4f,
                    MODEL_FIXTURES.get(i));
        }
    }

    @Test
    void rgbModelWithNormalisationAndUnflattenedOutputMatchesPython() {
        ModelSpec spec = new ModelSpec(Fixtures.model("tiny_rgb.pt"), "tiny-rgb", "2", 3, 64, ColorMode.RGB,
                RGB_NORM, 0, false);
        try (var rgb = TorchScriptEmbedder.load(spec, options)) {
            assertEquals(5, rgb.dimension());
            float[][] vectors = rgb.embed(images(MODEL_FIXTURES));
            for (int i = 0; i < MODEL_FIXTURES.size(); i++) {
                assertArrayEquals(expected.get("tiny_rgb " + MODEL_FIXTURES.get(i)), vectors[i], 1e-4f);
            }
        }
    }

    @Test
    void l2NormalisedVectorsHaveUnitLengthAndSameDirection() {
        ModelSpec spec = ModelSpec.gray64(Fixtures.model("tiny_gray.pt"), "tiny-gray", "1").withOutputIndex(1);
        try (var normalised = TorchScriptEmbedder.load(spec, options)) {
            float[] v = normalised.embed(images(List.of("large_scene_523x389")))[0];
            float[] raw = expected.get("tiny_gray large_scene_523x389");
            double norm = 0;
            for (float x : raw) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            double length = 0;
            for (int i = 0; i < v.length; i++) {
                length += v[i] * v[i];
                assertEquals(raw[i] / norm, v[i], 1e-4);
            }
            assertEquals(1.0, length, 1e-5);
        }
    }

    @Test
    void idNamesModelVersionFileHashAndContract() throws Exception {
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(Fixtures.model("tiny_gray.pt"))));
        assertEquals("tiny-gray@1/sha256:" + sha.substring(0, 12) + "/loupe-gray64-v1", gray.id());
    }

    @Test
    void undecodableImageIsReportedAtItsIndexWhileTheOthersAreEmbedded() {
        // 7 images in batches of 3: failures in the first and the last batch, one batch fully valid.
        List<byte[]> batch = new ArrayList<>(images(MODEL_FIXTURES));
        batch.add(1, "definitely not a PNG".getBytes(StandardCharsets.UTF_8));
        batch.add(null);
        batch.add(Fixtures.png("tiny_rgb_5x3"));

        EmbeddingResult result = gray.embedAll(batch);

        assertEquals(7, result.size());
        assertEquals(List.of(1, 5), List.copyOf(result.errors().keySet()));
        assertTrue(result.error(1).orElseThrow().contains("unrecognised image format"), result.error(1).orElseThrow());
        assertEquals("no image bytes", result.error(5).orElseThrow());
        assertNull(result.vector(1));
        int[] fixtureAt = {0, -1, 1, 2, 3};
        for (int i : new int[]{0, 2, 3, 4}) {
            assertArrayEquals(expected.get("tiny_gray " + MODEL_FIXTURES.get(fixtureAt[i])), result.vector(i), 1e-4f);
        }
        assertEquals(8, result.vector(6).length);

        var e = assertThrows(EmbeddingException.class, () -> gray.embed(batch));
        assertEquals(List.of(1, 5), List.copyOf(e.failures().keySet()));
    }

    @Test
    void batchSizeDoesNotChangeVectors() {
        List<byte[]> all = images(Fixtures.IMAGES);
        float[][] inBatchesOf3 = gray.embed(all);
        ModelSpec spec = gray.spec();
        try (var single = TorchScriptEmbedder.load(spec, options.withBatchSize(64))) {
            float[][] inOneBatch = single.embed(all);
            for (int i = 0; i < all.size(); i++) {
                assertArrayEquals(inOneBatch[i], inBatchesOf3[i], 1e-5f);
            }
        }
        assertEquals(0, gray.embed(List.of()).length);
    }

    @Test
    void corruptModelFileFailsWithFileAndReason(@TempDir Path dir) throws IOException {
        Path corrupt = dir.resolve("corrupt.pt");
        byte[] good = Files.readAllBytes(Fixtures.model("tiny_gray.pt"));
        Files.write(corrupt, java.util.Arrays.copyOf(good, good.length / 3));

        var e = assertThrows(ModelLoadException.class,
                () -> TorchScriptEmbedder.load(ModelSpec.gray64(corrupt, "broken", "1"), options));

        assertTrue(e.getMessage().startsWith("Cannot load TorchScript model " + corrupt.toAbsolutePath() + ": "),
                e.getMessage());
        assertTrue(e.getMessage().length() > ("Cannot load TorchScript model " + corrupt.toAbsolutePath() + ": ").length() + 5,
                e.getMessage());
        assertEquals(corrupt, e.file());
    }

    @Test
    void missingFileAndWrongInputOrOutputFailAtLoad(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pt");
        var e = assertThrows(ModelLoadException.class,
                () -> TorchScriptEmbedder.load(ModelSpec.gray64(missing, "m", "1"), options));
        assertEquals("Cannot load TorchScript model " + missing.toAbsolutePath() + ": no such file", e.getMessage());

        Path tiny = Fixtures.model("tiny_gray.pt");
        var noOutput = assertThrows(ModelLoadException.class, () -> TorchScriptEmbedder.load(
                ModelSpec.gray64(tiny, "m", "1").withOutputIndex(2), options));
        assertTrue(noOutput.getMessage().contains("model has 2 output(s), embedding output index is 2"),
                noOutput.getMessage());

        var wrongChannels = assertThrows(ModelLoadException.class, () -> TorchScriptEmbedder.load(
                ModelSpec.gray64(tiny, "m", "1").withInput(3, 64, ColorMode.GRAY), options));
        assertTrue(wrongChannels.getMessage().contains("probe inference with input [1, 3, 64, 64] failed"),
                wrongChannels.getMessage());
    }

    private static List<byte[]> images(List<String> names) {
        return names.stream().map(Fixtures::png).toList();
    }

    private static Map<String, float[]> readExpected() {
        Map<String, float[]> map = new HashMap<>();
        String text = new String(Fixtures.bytes("/embedder/models/expected_embeddings.txt"), StandardCharsets.US_ASCII);
        for (String line : text.strip().split("\n")) {
            String[] parts = line.split(" ");
            float[] values = new float[parts.length - 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = Float.parseFloat(parts[i + 2]);
            }
            map.put(parts[0] + " " + parts[1], values);
        }
        return map;
    }
}
