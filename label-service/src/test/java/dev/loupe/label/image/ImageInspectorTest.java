package dev.loupe.label.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector(1_000_000, 1 << 20);

    @Test
    void acceptedImagesReportFormatSizeAndHash() throws Exception {
        byte[] png = encode(new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY), "png");
        ImageInfo info = inspector.inspect(png);
        assertEquals("image/png", info.contentType());
        assertEquals(30, info.width());
        assertEquals(20, info.height());
        assertEquals(64, info.sha256().length());
        assertEquals(dev.loupe.common.util.Digests.sha256(png), info.sha256());
        assertEquals("image/jpeg", inspector.inspect(encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "jpg")).contentType());
    }

    @Test
    void badBytesAreRejectedWithAReasonAUserUnderstands() throws IOException {
        byte[] png = encode(noise(64, 64), "png");
        assertReason("not an image", "plain text".getBytes());
        assertReason("empty file", new byte[0]);
        assertReason("corrupt or truncated", Arrays.copyOf(png, png.length / 2));
        assertReason("more than the limit of 1000000", encode(new BufferedImage(1001, 1000, BufferedImage.TYPE_BYTE_GRAY), "png"));
        assertReason("more than the limit of 1048576", new byte[(1 << 20) + 1]);
    }

    @Test
    void aDecompressionBombIsRejectedFromItsHeader() {
        byte[] bomb = dev.loupe.synthetic.BombPng.gray(30_000, 30_000);
        long started = System.nanoTime();
        assertReason("image is 30000x30000 = 900000000 pixels, more than the limit of 1000000", bomb);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 1000, "rejected from the header, not after decoding: " + millis + " ms");
    }

    private void assertReason(String expected, byte[] bytes) {
        var e = assertThrows(ImageRejectedException.class, () -> inspector.inspect(bytes));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static BufferedImage noise(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.getRaster().setSample(x, y, 0, random.nextInt(256));
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
