package dev.loupe.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticSpecTest {

    @Test
    void demoMatchesTheDocumentedDefaults() {
        SyntheticSpec demo = SyntheticSpec.demo();
        assertEquals(List.of("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"), demo.classes());
        assertEquals(100, demo.perClass());
        assertEquals(0.25, demo.valFraction());
        assertEquals(0.05, demo.wrongLabelFraction());
        assertEquals(0.02, demo.junkFraction());
        assertEquals(42L, demo.seed());
        assertEquals(1000, demo.total());
        assertEquals(50, demo.mislabeledCount());
        assertEquals(20, demo.junkCount());
        assertEquals(25, demo.valPerClass());
    }

    @Test
    void rejectsInvalidSpecsWithAMessageNamingTheField() {
        assertMessage("classes", () -> new SyntheticSpec(List.of(), 10, 0.2, 0, 0, 1));
        assertMessage("'IV'", () -> new SyntheticSpec(List.of("IV"), 10, 0.2, 0, 0, 1));
        assertMessage("'l'", () -> new SyntheticSpec(List.of("i", "l"), 10, 0.2, 0, 0, 1));
        assertMessage("twice", () -> new SyntheticSpec(List.of("i", "i"), 10, 0.2, 0, 0, 1));
        assertMessage("perClass", () -> new SyntheticSpec(List.of("i", "v"), 0, 0.2, 0, 0, 1));
        assertMessage("valFraction", () -> new SyntheticSpec(List.of("i", "v"), 10, 1.0, 0, 0, 1));
        assertMessage("valFraction", () -> new SyntheticSpec(List.of("i", "v"), 10, Double.NaN, 0, 0, 1));
        assertMessage("wrongLabelFraction", () -> new SyntheticSpec(List.of("i", "v"), 10, 0.2, -0.1, 0, 1));
        assertMessage("junkFraction", () -> new SyntheticSpec(List.of("i", "v"), 10, 0.2, 0, 1.5, 1));
        assertMessage("must not exceed 1", () -> new SyntheticSpec(List.of("i", "v"), 10, 0.2, 0.6, 0.6, 1));
        assertMessage("two classes", () -> new SyntheticSpec(List.of("i"), 10, 0.2, 0.1, 0, 1));
    }

    @Test
    void classesAreCopiedSoCallersCannotMutateTheSpec() {
        var classes = new java.util.ArrayList<>(List.of("i", "v"));
        SyntheticSpec spec = new SyntheticSpec(classes, 1, 0, 0, 0, 1);
        classes.add("x");
        assertEquals(List.of("i", "v"), spec.classes());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expected), () -> "message '" + ex.getMessage() + "' lacks " + expected);
    }
}
