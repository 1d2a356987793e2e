package dev.loupe.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenApiDocumentDiffTest {

    @Test
    void diffShowsTheChangedLinesWithContextAndTheirPlaceInTheCommittedFile() {
        String committed = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        String served = "a\nb\nc\nd\ne\nF\ng\nh\ni\nj\nk\n";

        assertEquals("""
                @@ committed line 3 @@
                  c
                  d
                  e
                - f
                + F
                  g
                  h
                  i
                  j
                + k
                """, OpenApiDocument.diff(committed, served));
    }

    @Test
    void farApartChangesAreSeparateHunks() {
        String committed = String.join("\n", "x", "1", "2", "3", "4", "5", "6", "7", "8", "9", "y") + "\n";
        String served = String.join("\n", "X", "1", "2", "3", "4", "5", "6", "7", "8", "9", "Y") + "\n";

        String diff = OpenApiDocument.diff(committed, served);

        assertTrue(diff.startsWith("@@ committed line 1 @@\n- x\n+ X\n  1\n"), diff);
        assertTrue(diff.contains("@@ committed line 8 @@\n  7\n  8\n  9\n- y\n+ Y\n"), diff);
    }

    @Test
    void lineEndingsAndAMissingFinalNewlineDoNotCount() {
        assertEquals(OpenApiDocument.normalize("a\nb\n"), OpenApiDocument.normalize("a\r\nb"));
    }
}
