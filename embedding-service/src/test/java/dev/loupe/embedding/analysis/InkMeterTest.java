package dev.loupe.embedding.analysis;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InkMeterTest {

    private static final long LIMIT = 10_000;

    @Test
    void whiteIsBlankBlackIsFullAndHalfIsHalf() throws IOException {
        assertEquals(0.0, InkMeter.inkFraction(png(filled(BufferedImage.TYPE_BYTE_GRAY, Color.WHITE, 0)), LIMIT), 1e-9);
        assertEquals(1.0, InkMeter.inkFraction(png(filled(BufferedImage.TYPE_BYTE_GRAY, Color.BLACK, 0)), LIMIT), 1e-9);
        assertEquals(0.5, InkMeter.inkFraction(png(filled(BufferedImage.TYPE_INT_RGB, Color.WHITE, 20)), LIMIT), 1e-9);
    }

    @Test
    void transparentPixelsCountAsPaper() throws IOException {
        BufferedImage clear = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB);
        assertEquals(0.0, InkMeter.inkFraction(png(clear), LIMIT), 1e-9);
    }

    @Test
    void garbageIsAnError() {
        assertThrows(IOException.class, () -> InkMeter.inkFraction("nope".getBytes(), LIMIT));
    }

    @Test
    void anImageAboveThePixelLimitIsAnErrorBeforeDecoding() {
        byte[] bomb = dev.loupe.synthetic.BombPng.gray(30_000, 30_000);
        IOException refused = assertThrows(IOException.class, () -> InkMeter.inkFraction(bomb, 64L << 20));
        assertEquals("image is 30000x30000 = 900000000 pixels, more than the limit of 67108864", refused.getMessage());
    }

    /** A 40x40 image of {@code background} whose left {@code blackColumns} columns are black. */
    private static BufferedImage filled(int type, Color background, int blackColumns) {
        BufferedImage image = new BufferedImage(40, 40, type);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, 40, 40);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, blackColumns, 40);
        g.dispose();
        return image;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
