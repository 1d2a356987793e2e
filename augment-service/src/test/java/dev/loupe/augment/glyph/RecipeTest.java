package dev.loupe.augment.glyph;

import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Png;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecipeTest {

    private final GlyphLibrary library = GlyphLibrary.of(List.of(
            Glyph.of("v", "v1", Shapes.letterV(90, 120, 0)),
            Glyph.of("v", "v2", Shapes.letterV(70, 100, 64)),
            Glyph.of("i", "i1", Shapes.letterI(40, 60, 0)),
            Glyph.of("i", "i2", Shapes.letterI(40, 150, 64)),
            Glyph.of("i", "i3", Shapes.letterI(30, 90, 0))));

    @Test
    void spellsALabelIntoTheLibrarysSymbols() {
        assertEquals(List.of("v", "i", "i", "i"), library.spell("viii"));
        var e = assertThrows(InvalidOperationException.class, () -> library.spell("ix"));
        assertEquals("label", e.parameter());
        assertEquals("label: the library has no glyph for \"x\" at position 1 of \"ix\" (it has: v, i)", e.getMessage());
    }

    @Test
    void makesTheRequestedNumberOfCompositesWithOneLetterPerSymbol() {
        List<Composite> made = new Recipe("viii", Layout.defaults()).make(library, 5, new SplittableRandom(1));
        assertEquals(5, made.size());
        for (Composite c : made) {
            assertEquals("viii", c.label());
            assertEquals(4, NumeralSplit.letters(c.image()));
            assertEquals(4, c.glyphSources().size());
            assertEquals(3, c.glyphSources().subList(1, 4).stream().distinct().count(), "three different I glyphs");
        }
    }

    @Test
    void theSameSeedMakesTheSameImages() {
        Recipe recipe = new Recipe("vii", Layout.defaults());
        List<Composite> a = recipe.make(library, 3, new SplittableRandom(5));
        List<Composite> b = recipe.make(library, 3, new SplittableRandom(5));
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(Png.encode(a.get(k).image()), Png.encode(b.get(k).image()));
            assertEquals(a.get(k).glyphSources(), b.get(k).glyphSources());
        }
        assertNotEquals(Png.encode(a.get(0).image()).length + a.get(0).glyphSources().toString(),
                Png.encode(a.get(1).image()).length + a.get(1).glyphSources().toString(), "composites differ from each other");
    }

    @Test
    void aCountOutOfRangeIsInvalid() {
        assertEquals("count", assertThrows(InvalidOperationException.class,
                () -> new Recipe("v", Layout.defaults()).make(library, 0, new SplittableRandom(1))).parameter());
    }
}
