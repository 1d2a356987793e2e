package dev.loupe.label.blob;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BlobKeysTest {

    @Test
    void keysAreContentAddressedUnderTwoHexDigitFolders() {
        String sha = "ab" + "0123456789abcdef".repeat(3) + "0123456789abcd";
        assertEquals("blobs/ab/" + sha, BlobKeys.key(sha));
    }

    @Test
    void anythingButALowercaseHexSha256IsRefused() {
        for (String bad : new String[]{null, "", "ab", "../../etc/passwd", "AB".repeat(32), "g".repeat(64), "a".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> BlobKeys.key(bad), String.valueOf(bad));
        }
    }
}
