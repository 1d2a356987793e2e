package dev.loupe.imaging;

import dev.loupe.imaging.SafeImageReader.ImageTooLargeException;
import dev.loupe.imaging.SafeImageReader.Reason;
import dev.loupe.imaging.SafeImageReader.UnreadableImageException;
import dev.loupe.synthetic.BombPng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeImageReaderTest {

    /** The bomb: 875 KB of PNG that decodes to 30,000 x 30,000 gray pixels (900 MB). */
    private static byte[] bomb;

    @BeforeAll
    static void makeBomb() {
        bomb = BombPng.gray(30_000, 30_000);
    }

    @Test
    void readsAnImageWithinTheLimit() throws Exception {
        BufferedImage image = SafeImageReader.read(png(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY)), 1200);
        assertEquals(40, image.getWidth());
        assertEquals(30, image.getHeight());
        assertEquals(new SafeImageReader.Header("png", 40, 30), SafeImageReader.header(png(new BufferedImage(40, 30,
                BufferedImage.TYPE_BYTE_GRAY)), 1200));
    }

    @Test
    void theLimitIsInclusiveAndCountsWidthTimesHeight() throws Exception {
        byte[] png = png(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY));
        assertEquals(1200, SafeImageReader.header(png, 1200).pixels());
        var refused = assertThrows(ImageTooLargeException.class, () -> SafeImageReader.read(png, 1199));
        assertEquals(Reason.TOO_LARGE, refused.reason());
        assertEquals(1199, refused.maxPixels());
        assertEquals(new SafeImageReader.Header("png", 40, 30), refused.header());
        assertEquals("image is 40x30 = 1200 pixels, more than the limit of 1199", refused.getMessage());
    }

    @Test
    void theBombGeneratorMakesRealDecodablePngs() throws Exception {
        // the same generator at a size that fits: a real image, so refusing the big one is the limit's doing
        byte[] small = BombPng.gray(3000, 2000);
        BufferedImage image = SafeImageReader.read(small, 6_000_000);
        assertEquals(3000, image.getWidth());
        assertEquals(2000, image.getHeight());
        assertEquals(0, image.getRaster().getSample(2999, 1999, 0));
        assertTrue(bomb.length < 1_000_000, "the bomb is small: " + bomb.length + " bytes");
    }

    @Test
    void aBombIsRefusedFromItsHeaderWithoutDecoding() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long started = System.nanoTime();
        var refused = assertThrows(ImageTooLargeException.class, () -> SafeImageReader.read(bomb, 50_000_000));
        long millis = (System.nanoTime() - started) / 1_000_000;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        System.out.printf("bomb of %d bytes refused in %d ms, %d bytes allocated%n", bomb.length, millis, allocated);
        assertEquals("image is 30000x30000 = 900000000 pixels, more than the limit of 50000000", refused.getMessage());
        assertTrue(millis < 1000, "refused from the header, not after decoding: " + millis + " ms");
        // decoding would allocate at least the 900 MB raster; the header costs a few buffers
        assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes");
        assertEquals(900_000_000L, assertThrows(ImageTooLargeException.class,
                () -> SafeImageReader.header(bomb, 50_000_000)).header().pixels());
    }

    @Test
    void aHeaderClaimingAHugeCanvasIsRefusedEvenWhenTheDataIsTiny() throws Exception {
        byte[] lying = withClaimedSize(png(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY)), 30_000, 30_000);
        var refused = assertThrows(ImageTooLargeException.class, () -> SafeImageReader.read(lying, 50_000_000));
        assertTrue(refused.getMessage().contains("900000000 pixels, more than the limit of 50000000"), refused.getMessage());
    }

    @Test
    void emptyUnknownAndCorruptBytesAreRefusedWithAReason() throws Exception {
        var empty = assertThrows(UnreadableImageException.class, () -> SafeImageReader.read(new byte[0], 10));
        assertEquals("empty image", empty.getMessage());
        assertEquals(Reason.EMPTY, empty.reason());
        var text = assertThrows(UnreadableImageException.class, () -> SafeImageReader.header("not an image".getBytes(), 10));
        assertEquals("unrecognised image format", text.getMessage());
        assertEquals(Reason.UNRECOGNISED_FORMAT, text.reason());
        byte[] whole = png(new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB));
        byte[] half = Arrays.copyOf(whole, whole.length / 2);
        var truncated = assertThrows(UnreadableImageException.class, () -> SafeImageReader.read(half, 10_000));
        assertTrue(truncated.getMessage().startsWith("cannot decode image"), truncated.getMessage());
        assertEquals(Reason.CORRUPT, truncated.reason());
        // the header alone is intact: header() accepts what read() cannot decode
        assertEquals(2500, SafeImageReader.header(half, 10_000).pixels());
        var noPixels = assertThrows(UnreadableImageException.class,
                () -> SafeImageReader.header(withClaimedSize(whole, 0, 50), 10_000));
        assertEquals(Reason.CORRUPT, noPixels.reason());
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
