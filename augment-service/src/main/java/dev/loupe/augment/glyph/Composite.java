package dev.loupe.augment.glyph;

import java.awt.image.BufferedImage;
import java.util.List;

/** One composed image, its label and the sources of the glyphs it was made of (in order), for provenance. */
public record Composite(String label, BufferedImage image, List<String> glyphSources) {

    public Composite {
        glyphSources = List.copyOf(glyphSources);
    }
}
