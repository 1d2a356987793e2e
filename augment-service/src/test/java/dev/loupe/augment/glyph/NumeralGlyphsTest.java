package dev.loupe.augment.glyph;

import dev.loupe.augment.image.Png;
import dev.loupe.synthetic.RomanNumeralGenerator;
import dev.loupe.synthetic.SyntheticSpec;
import dev.loupe.testing.DcaiDataset;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cuts the V and the I's out of a handwritten "viii" by ink column projection and composes a "vii" from them:
 * on the real DCAI set where it is present, and on the synthetic generator's handwriting everywhere.
 */
class NumeralGlyphsTest {

    @Test
    void glyphsCutFromARealViiiComposeIntoAViiWithThreeLetters() throws IOException {
        Path viiiDir = DcaiDataset.requireOrSkip().resolve("train/viii");
        List<Path> files;
        try (Stream<Path> list = Files.list(viiiDir)) {
            files = list.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        int checked = 0;
        for (Path file : files) {
            BufferedImage image = Png.decode(Files.readAllBytes(file));
            Optional<NumeralSplit> split = NumeralSplit.of(image);
            if (split.isEmpty()) continue;
            assertComposesIntoVii(image, split.get(), file.getFileName().toString());
            if (++checked == 5) break;
        }
        assertEquals(5, checked, "five real viii images that split into V + three I's by column projection");
    }

    @Test
    void glyphsCutFromASyntheticViiiComposeIntoAViiWithThreeLetters() {
        RomanNumeralGenerator generator = new RomanNumeralGenerator(SyntheticSpec.demo());
        int checked = 0;
        for (long seed = 0; seed < 200 && checked < 5; seed++) {
            BufferedImage image = generator.render("viii", new SplittableRandom(seed));
            Optional<NumeralSplit> split = NumeralSplit.of(image);
            if (split.isEmpty()) continue;
            assertComposesIntoVii(image, split.get(), "synthetic seed " + seed);
            checked++;
        }
        assertEquals(5, checked, "five synthetic viii images that split into V + three I's");
    }

    @Test
    void aDrawnViiiSplitsIntoAVAndThreeIs() {
        BufferedImage image = Shapes.viii(64);
        NumeralSplit split = NumeralSplit.of(image).orElseThrow();
        assertTrue(split.v().width() > 50, split.toString());
        assertComposesIntoVii(image, split, "drawn");
    }

    private static void assertComposesIntoVii(BufferedImage viii, NumeralSplit split, String source) {
        Glyph v = Glyph.cut(viii, "v", source, Cut.whole().within(split.v()));
        Glyph i = Glyph.cut(viii, "i", source, Cut.whole().within(split.is().get(0)));
        Glyph lastI = Glyph.cut(viii, "i", source, Cut.whole().within(split.is().get(2)));
        // Erasing the V instead of boxing the I's leaves the "iii" (and any speck beside it) as one glyph; specks
        // are judged by the size they had in the whole numeral.
        Glyph iii = Glyph.cut(viii, "iii", source, Cut.whole().erasing(split.v()));
        int speck = NumeralSplit.minInk(InkMask.of(viii, InkMask.DEFAULT_THRESHOLD));
        assertEquals(3, NumeralSplit.letters(iii.image(), speck), source + ": iii after erasing the V");
        assertEquals(1, NumeralSplit.letters(v.image()), source + ": V alone");

        for (long seed = 0; seed < 3; seed++) {
            BufferedImage vii = Composer.compose(List.of(v, i, lastI), Layout.defaults(), new SplittableRandom(seed));
            assertEquals(3, NumeralSplit.letters(vii), source + ": composed vii, seed " + seed);
            BufferedImage ii = Composer.compose(List.of(i, lastI), Layout.defaults(), new SplittableRandom(seed));
            assertEquals(2, NumeralSplit.letters(ii), source + ": composed ii, seed " + seed);
        }
    }
}
