package dev.loupe.embedding.embedder;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSpecTest {

    private final Path file = Path.of("m.pt");

    @Test
    void gray64DefaultsMatchTheContract() {
        ModelSpec spec = ModelSpec.gray64(file, "resnet18-gray", "1.0");

        assertEquals(1, spec.inputChannels());
        assertEquals(64, spec.inputSize());
        assertEquals(ColorMode.GRAY, spec.color());
        assertNull(spec.normalization());
        assertEquals(0, spec.outputIndex());
        assertTrue(spec.l2Normalize());
        assertFalse(spec.withL2Normalize(false).l2Normalize());
    }

    @Test
    void invalidSpecsSayWhatIsWrong() {
        assertEquals("model id must be 1-128 characters of letters, digits, '.', '_' or '-' (starting with a letter"
                        + " or digit), got 'bad id'",
                message(() -> ModelSpec.gray64(file, "bad id", "1")));
        assertEquals("model m: input channels must be 1 or 3, got 2",
                message(() -> ModelSpec.gray64(file, "m", "1").withInput(2, 64, ColorMode.GRAY)));
        assertEquals("model m: color mode RGB needs 3 input channels, got 1",
                message(() -> ModelSpec.gray64(file, "m", "1").withInput(1, 64, ColorMode.RGB)));
        assertEquals("model m: input size must be in 8..1024, got 4",
                message(() -> ModelSpec.gray64(file, "m", "1").withInput(1, 4, ColorMode.GRAY)));
        assertEquals("model m: normalization has 3 channel(s) but the model takes 1",
                message(() -> ModelSpec.gray64(file, "m", "1").withNormalization(
                        new Normalization(new float[3], new float[]{1, 1, 1}))));
        assertEquals("model m: output index must be >= 0, got -1",
                message(() -> ModelSpec.gray64(file, "m", "1").withOutputIndex(-1)));
        assertEquals("normalization std[1] must be finite and > 0, got -1.0",
                message(() -> new Normalization(new float[2], new float[]{1, -1})));
        assertEquals("model file is required", message(() -> ModelSpec.gray64(null, "m", "1")));
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }
}
