package dev.loupe.imaging;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeImageReaderTest {

    @Test
    void readsAnImageWithinTheLimit() throws Exception {
        BufferedImage image = SafeImageReader.read(png(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY)), 1200);
        assertEquals(40, image.getWidth());
        assertEquals(30, image.getHeight());
    }

    @Test
    void aHeaderClaimingAHugeCanvasIsRefusedBeforeDecoding() throws Exception {
        // a valid 1x1 PNG whose header then claims 30,000 x 30,000 pixels: decoding it would need 900 MB
        byte[] bomb = withClaimedSize(png(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY)), 30_000, 30_000);
        long started = System.nanoTime();
        var refused = assertThrows(SafeImageReader.UnreadableImageException.class, () -> SafeImageReader.read(bomb, 50_000_000));
        assertTrue(refused.getMessage().contains("900000000 pixels, more than the limit 50000000"), refused.getMessage());
        assertTrue(System.nanoTime() - started < 1_000_000_000L, "refused from the header, not after decoding");
    }

    @Test
    void emptyUnknownAndCorruptBytesAreRefusedWithAReason() throws Exception {
        assertEquals("empty image", assertThrows(SafeImageReader.UnreadableImageException.class,
                () -> SafeImageReader.read(new byte[0], 10)).getMessage());
        assertEquals("unrecognised image format", assertThrows(SafeImageReader.UnreadableImageException.class,
                () -> SafeImageReader.read("not an image".getBytes(), 10)).getMessage());
        byte[] truncated = png(new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB));
        byte[] half = java.util.Arrays.copyOf(truncated, truncated.length / 2);
        assertTrue(assertThrows(SafeImageReader.UnreadableImageException.class, () -> SafeImageReader.read(half, 10_000))
                .getMessage().startsWith("cannot decode image"));
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** Rewrites the IHDR width and height (and its CRC) of a PNG. */
    private static byte[] withClaimedSize(byte[] png, int width, int height) {
        byte[] copy = png.clone();
        ByteBuffer buffer = ByteBuffer.wrap(copy);
        buffer.putInt(16, width).putInt(20, height); // 8 signature + 4 length + 4 "IHDR"
        CRC32 crc = new CRC32();
        crc.update(copy, 12, 17);
        buffer.putInt(29, (int) crc.getValue());
        return copy;
    }
}
