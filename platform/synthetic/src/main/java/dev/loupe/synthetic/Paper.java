package dev.loupe.synthetic;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.random.RandomGenerator;

/**
 * The sheet a sample is drawn on: its size, the stray marks real scans carry, and the organisers'
 * three-level quantisation.
 *
 * <p>Drawing happens on an sRGB canvas, not on TYPE_BYTE_GRAY directly: Java2D treats the gray type as
 * linear light and would silently shift every mid-gray we draw, which breaks the exact {0, 64, 255} output.
 */
final class Paper {

    static final int MIN_W = 120, MAX_W = 1260, MIN_H = 88, MAX_H = 616;

    /** Levels of the published data; every output pixel is one of these. */
    static final int BLACK = 0, GRAY = 64, WHITE = 255;

    final BufferedImage rgb;
    final Graphics2D g;
    final int w, h;

    private Paper(int w, int h) {
        this.w = w;
        this.h = h;
        this.rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        this.g = rgb.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
    }

    /**
     * A sheet whose size follows the real data: log-normal around ~264 x 255 with a thin tail of
     * large scans, clamped to the observed extremes.
     */
    static Paper random(RandomGenerator rnd) {
        double width = rnd.nextDouble() < 0.04
                ? 600 + rnd.nextDouble() * 660
                : 264 * Math.exp(rnd.nextGaussian() * 0.35);
        double height = width * Math.exp(rnd.nextGaussian() * 0.25) * 0.97;
        return new Paper(clamp((int) Math.round(width), MIN_W, MAX_W), clamp((int) Math.round(height), MIN_H, MAX_H));
    }

    /** Ink as the quantiser will see it: markers come out black with a gray rim, pencils plain gray. */
    static int randomInk(RandomGenerator rnd) {
        return rnd.nextDouble() < 0.4 ? rnd.nextInt(25) : 45 + rnd.nextInt(40);
    }

    /** Occasional light dirt so that CLEAN does not mean sterile; never enough to hide the numeral. */
    void strayMarks(RandomGenerator rnd) {
        if (rnd.nextDouble() < 0.35) specks(rnd, 1 + rnd.nextInt(15), 0.5, 2.0);
        if (rnd.nextDouble() < 0.08) {
            // A ruled-paper line or a scanner streak.
            g.setColor(gray(70 + rnd.nextInt(60)));
            g.setStroke(new java.awt.BasicStroke((float) (1 + rnd.nextDouble() * 1.5)));
            if (rnd.nextBoolean()) {
                double y = rnd.nextDouble() * h;
                g.draw(new Line2D.Double(0, y, w, y + rnd.nextGaussian() * 4));
            } else {
                double x = rnd.nextDouble() * w;
                g.draw(new Line2D.Double(x, 0, x + rnd.nextGaussian() * 4, h));
            }
        }
        if (rnd.nextDouble() < 0.04) edgeBlob(rnd, 0.12);
    }

    void specks(RandomGenerator rnd, int count, double minR, double maxR) {
        for (int i = 0; i < count; i++) {
            g.setColor(gray(rnd.nextInt(110)));
            double r = minR + rnd.nextDouble() * (maxR - minR);
            g.fill(new Ellipse2D.Double(rnd.nextDouble() * w - r, rnd.nextDouble() * h - r, 2 * r, 2 * r));
        }
    }

    /** A dark blob cut by the border, like a thumb or the neighbouring cell of a scanned form. */
    void edgeBlob(RandomGenerator rnd, double maxFraction) {
        double r = Math.min(w, h) * (0.04 + rnd.nextDouble() * maxFraction);
        double cx = rnd.nextBoolean() ? 0 : w, cy = rnd.nextDouble() * h;
        if (rnd.nextBoolean()) {
            cx = rnd.nextDouble() * w;
            cy = rnd.nextBoolean() ? 0 : h;
        }
        g.setColor(gray(rnd.nextInt(40)));
        g.fill(new Ellipse2D.Double(cx - r, cy - r * 1.3, 2 * r, 2.6 * r));
    }

    /**
     * Converts to the published format: 8-bit gray with only 0, 64 and 255. {@code grain} perturbs
     * inked pixels, which breaks strokes into the speckled texture pencil scans have.
     */
    BufferedImage quantise(double grain, RandomGenerator rnd) {
        g.dispose();
        int[] src = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < src.length; i++) {
            int v = src[i] & 0xFF;
            if (grain > 0 && v < 250) {
                v += (int) (rnd.nextGaussian() * grain);
            }
            dst[i] = (byte) (v < 40 ? BLACK : v < 150 ? GRAY : WHITE);
        }
        return out;
    }

    static Color gray(int v) {
        return new Color(v, v, v);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
