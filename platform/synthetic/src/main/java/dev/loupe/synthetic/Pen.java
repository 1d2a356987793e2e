package dev.loupe.synthetic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.util.random.RandomGenerator;

/**
 * Draws one pen stroke the way a hand does: the line wanders a little, and the width changes
 * with pressure and thins where the pen lands or lifts. A constant-width Java2D stroke is what makes
 * synthetic glyphs look like a font, so every stroke goes through here.
 */
final class Pen {

    private final Graphics2D g;
    private final int ink;
    private final double width;
    private final double wobble;
    private final RandomGenerator rnd;

    /**
     * @param ink    gray level 0..255 drawn at full coverage
     * @param width  nominal stroke width in pixels
     * @param wobble amplitude of the slow sideways drift, in pixels
     */
    Pen(Graphics2D g, int ink, double width, double wobble, RandomGenerator rnd) {
        this.g = g;
        this.ink = ink;
        this.width = width;
        this.wobble = wobble;
        this.rnd = rnd;
    }

    /** Strokes through the given pixel points (x0, y0, x1, y1, ...) with smooth handwriting noise. */
    void stroke(double[] pts) {
        double length = 0;
        for (int i = 2; i < pts.length; i += 2) {
            length += Math.hypot(pts[i] - pts[i - 2], pts[i + 1] - pts[i - 1]);
        }
        if (length < 1e-6) {
            dot(pts[0], pts[1], width * 0.6);
            return;
        }
        // Short segments so the width profile reads as continuous; capped to keep big canvases cheap.
        int steps = (int) Math.max(8, Math.min(120, length / Math.max(1.5, width * 0.35)));

        // Sideways drift: two slow sines with random phase, so it bends rather than jitters.
        double fx = 0.5 + rnd.nextDouble(), fy = 0.5 + rnd.nextDouble();
        double px = rnd.nextDouble(Math.PI * 2), py = rnd.nextDouble(Math.PI * 2);
        // Pressure: one slow swell plus optional tapering where the pen touches down and lifts off.
        double pf = 0.5 + rnd.nextDouble() * 1.5, pp = rnd.nextDouble(Math.PI * 2);
        double pAmp = 0.1 + rnd.nextDouble() * 0.25;
        boolean taperStart = rnd.nextDouble() < 0.45, taperEnd = rnd.nextDouble() < 0.55;

        g.setColor(new Color(ink, ink, ink));
        double prevX = 0, prevY = 0;
        int idx = 2;
        double segLen = Math.hypot(pts[2] - pts[0], pts[3] - pts[1]);
        double walked = 0;
        for (int s = 0; s <= steps; s++) {
            double target = length * s / steps;
            while (walked + segLen < target && idx + 2 < pts.length) {
                walked += segLen;
                idx += 2;
                segLen = Math.hypot(pts[idx] - pts[idx - 2], pts[idx + 1] - pts[idx - 1]);
            }
            double u = segLen < 1e-9 ? 0 : Math.min(1, (target - walked) / segLen);
            double t = (double) s / steps;
            double x = pts[idx - 2] + u * (pts[idx] - pts[idx - 2])
                    + wobble * Math.sin(2 * Math.PI * fx * t + px);
            double y = pts[idx - 1] + u * (pts[idx + 1] - pts[idx - 1])
                    + wobble * Math.sin(2 * Math.PI * fy * t + py);
            if (s > 0) {
                double w = width * (1 + pAmp * Math.sin(2 * Math.PI * pf * t + pp));
                if (taperStart) w *= 0.45 + 0.55 * Math.min(1, t / 0.15);
                if (taperEnd) w *= 0.45 + 0.55 * Math.min(1, (1 - t) / 0.15);
                g.setStroke(new BasicStroke((float) Math.max(1.0, w), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(new Line2D.Double(prevX, prevY, x, y));
            }
            prevX = x;
            prevY = y;
        }
    }

    /** A filled blob such as the dot over a lower-case i. */
    void dot(double x, double y, double radius) {
        g.setColor(new Color(ink, ink, ink));
        double rx = radius * (0.8 + rnd.nextDouble() * 0.4), ry = radius * (0.8 + rnd.nextDouble() * 0.4);
        g.fill(new java.awt.geom.Ellipse2D.Double(x - rx, y - ry, 2 * rx, 2 * ry));
    }
}
