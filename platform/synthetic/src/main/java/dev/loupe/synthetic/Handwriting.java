package dev.loupe.synthetic;

import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Lays out a numeral as pen strokes for one imaginary writer and draws it on a canvas.
 *
 * <p>Glyphs are built in "glyph units" (cap height 1, y pointing down) so that every writer trait --
 * letter widths, spacing, serif habit, slant -- can be drawn independently and then fitted to whatever
 * canvas size the sample got. The traits and their ranges were picked by eye against the 2021
 * competition data: people there wrote anything from plain strokes to Ⅲ-style bars, with markers or
 * pencils, upright or slanted.
 */
final class Handwriting {

    /** How the writer decorates the numeral. */
    enum Serifs { NONE, PER_LETTER, BARS }

    /** Strokes in glyph units plus dots (lower-case i); coordinates are x0,y0,x1,y1,... */
    record Glyph(List<double[]> strokes, List<double[]> dots) {
    }

    private final RandomGenerator rnd;
    private final Serifs serifs;
    private final boolean lowercase;
    private final double jitter;
    /** Stroke width relative to cap height; layout needs it to keep neighbouring I's from touching. */
    final double strokeRel;
    /** A writer's habitual lean of vertical strokes, on top of the whole-glyph slant. */
    private final double lean;

    Handwriting(RandomGenerator rnd) {
        this.rnd = rnd;
        double s = rnd.nextDouble();
        this.serifs = s < 0.55 ? Serifs.NONE : s < 0.8 ? Serifs.PER_LETTER : Serifs.BARS;
        // Lower-case with dots only makes sense without bars; people who draw bars write capitals.
        this.lowercase = serifs != Serifs.BARS && rnd.nextDouble() < 0.18;
        this.jitter = 0.012 + rnd.nextDouble() * 0.025;
        this.strokeRel = 0.035 + rnd.nextDouble() * 0.09;
        this.lean = gauss(0.04);
    }

    /** Builds the strokes for a numeral such as {@code viii}. */
    Glyph layout(String numeral) {
        List<double[]> strokes = new ArrayList<>();
        List<double[]> dots = new ArrayList<>();
        // Lower-case letters start lower (x-height) so dotted i's and small v/x read as such.
        double top = lowercase ? 0.35 + rnd.nextDouble() * 0.1 : 0;
        double x = 0;
        // Letters never touch: iii written with touching strokes would be unreadable, not just sloppy.
        double gapBase = 0.1 + strokeRel * 1.3 + rnd.nextDouble() * 0.2;
        for (int i = 0; i < numeral.length(); i++) {
            char c = numeral.charAt(i);
            double right = switch (c) {
                case 'i' -> letterI(x, top, strokes, dots);
                case 'v' -> letterV(x, top, strokes);
                case 'x' -> letterX(x, top, strokes);
                default -> throw new IllegalArgumentException("cannot draw '" + c + "' in " + numeral);
            };
            x = right + gapBase * (0.7 + rnd.nextDouble() * 0.6);
        }
        double end = x - gapBase;
        if (serifs == Serifs.BARS) {
            double over = 0.05 + rnd.nextDouble() * 0.15;
            strokes.add(bar(-over, end + over, top - 0.01));
            strokes.add(bar(-over, end + over, 1.01));
        }
        return new Glyph(strokes, dots);
    }

    private double letterI(double x, double top, List<double[]> strokes, List<double[]> dots) {
        double lean = this.lean + gauss(0.015);
        double bow = gauss(0.02);
        double half = serifs == Serifs.PER_LETTER ? 0.12 + rnd.nextDouble() * 0.1 : 0.03;
        double cx = x + half;
        double[] stem = {cx, top, cx + lean / 2 + bow, (top + 1) / 2, cx + lean, 1};
        if (!lowercase && serifs == Serifs.NONE && rnd.nextDouble() < 0.2) {
            // A little foot curling right, like a quickly written "l".
            stem = new double[] {cx, top, cx + lean / 2 + bow, (top + 1) / 2, cx + lean, 0.96,
                cx + lean + 0.06, 1.0, cx + lean + 0.13, 0.93};
        }
        strokes.add(jittered(stem));
        if (serifs == Serifs.PER_LETTER) {
            strokes.add(bar(cx - half, cx + half, top));
            strokes.add(bar(cx + lean - half, cx + lean + half, 1));
        }
        if (lowercase) {
            dots.add(new double[] {cx + lean * 0.2 + gauss(0.03), top - 0.18 - rnd.nextDouble() * 0.1});
        }
        return cx + Math.max(half, Math.max(0, lean) + 0.03);
    }

    private double letterV(double x, double top, List<double[]> strokes) {
        double w = (0.5 + rnd.nextDouble() * 0.35) * (lowercase ? 0.8 : 1);
        double apex = x + w * (0.42 + rnd.nextDouble() * 0.16);
        double rightTop = top - rnd.nextDouble() * 0.08;
        if (rnd.nextDouble() < 0.6) {
            strokes.add(jittered(new double[] {x, top, (x + apex) / 2 + gauss(0.02), (top + 1) / 2, apex, 1,
                (apex + x + w) / 2 + gauss(0.02), (rightTop + 1) / 2, x + w, rightTop}));
        } else {
            // Two separate strokes; a lifted pen leaves the apex slightly open or crossed.
            strokes.add(jittered(new double[] {x, top, apex, 1}));
            strokes.add(jittered(new double[] {x + w, rightTop, apex + gauss(0.02), 1 - rnd.nextDouble() * 0.04}));
        }
        if (serifs == Serifs.PER_LETTER && rnd.nextDouble() < 0.6) {
            double h = 0.08 + rnd.nextDouble() * 0.06;
            strokes.add(bar(x - h, x + h, top));
            strokes.add(bar(x + w - h, x + w + h, rightTop));
        }
        return x + w;
    }

    private double letterX(double x, double top, List<double[]> strokes) {
        double w = (0.5 + rnd.nextDouble() * 0.35) * (lowercase ? 0.85 : 1);
        double skew = gauss(0.05);
        strokes.add(jittered(new double[] {x + skew, top, x + w / 2 + gauss(0.03), (top + 1) / 2, x + w, 1}));
        strokes.add(jittered(new double[] {x + w + skew, top + gauss(0.03), x, 1 + gauss(0.02)}));
        if (serifs == Serifs.PER_LETTER && rnd.nextDouble() < 0.5) {
            // Short ticks on the four ends; full bars would close the X into an hourglass.
            double h = 0.06 + rnd.nextDouble() * 0.05;
            strokes.add(bar(x + skew - h, x + skew + h, top));
            strokes.add(bar(x + w + skew - h, x + w + skew + h, top));
            strokes.add(bar(x - h, x + h, 1));
            strokes.add(bar(x + w - h, x + w + h, 1));
        }
        return x + w + Math.max(0, skew);
    }

    private double[] bar(double x0, double x1, double y) {
        double mid = (x0 + x1) / 2;
        return jittered(new double[] {x0, y + gauss(0.02), mid, y + gauss(0.02), x1, y + gauss(0.02)});
    }

    private double[] jittered(double[] pts) {
        double[] out = pts.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += gauss(jitter);
        }
        return out;
    }

    private double gauss(double sd) {
        return rnd.nextGaussian() * sd;
    }

    /**
     * Fits a glyph into a canvas and draws it. Slant and a small rotation are applied before fitting so
     * the glyph never ends up cropped: a CLEAN sample must stay readable.
     */
    void draw(Glyph glyph, Graphics2D g, int canvasW, int canvasH, int ink, RandomGenerator rnd) {
        double slant = -0.12 + rnd.nextDouble() * 0.42;
        double angle = Math.toRadians(rnd.nextGaussian() * 4);
        double cos = Math.cos(angle), sin = Math.sin(angle);

        List<double[]> strokes = new ArrayList<>();
        for (double[] s : glyph.strokes()) strokes.add(transform(s, slant, cos, sin));
        List<double[]> dots = new ArrayList<>();
        for (double[] d : glyph.dots()) dots.add(transform(d, slant, cos, sin));

        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (List<double[]> group : List.of(strokes, dots)) {
            for (double[] s : group) {
                for (int i = 0; i < s.length; i += 2) {
                    minX = Math.min(minX, s[i]); maxX = Math.max(maxX, s[i]);
                    minY = Math.min(minY, s[i + 1]); maxY = Math.max(maxY, s[i + 1]);
                }
            }
        }
        double pad = strokeRel * 1.6 + 0.06;
        double bw = maxX - minX + 2 * pad, bh = maxY - minY + 2 * pad;

        // Most writers fill a fair part of the sheet; some write tiny in a big frame.
        double fill = rnd.nextDouble() < 0.12 ? 0.18 + rnd.nextDouble() * 0.15 : 0.4 + rnd.nextDouble() * 0.5;
        double scale = Math.min(canvasH * fill / bh, canvasW * 0.98 / bw);
        double glyphW = bw * scale, glyphH = bh * scale;

        double ox, oy;
        if (rnd.nextDouble() < 0.08) {
            // Pushed against one edge, as in scans where the numeral sat near the paper's border.
            int side = rnd.nextInt(4);
            ox = side == 0 ? 0 : side == 1 ? canvasW - glyphW : rnd.nextDouble() * (canvasW - glyphW);
            oy = side == 2 ? 0 : side == 3 ? canvasH - glyphH : rnd.nextDouble() * (canvasH - glyphH);
        } else {
            // Roughly centred with a random offset; a triangular distribution keeps most near the middle.
            ox = (canvasW - glyphW) * (rnd.nextDouble() + rnd.nextDouble()) / 2;
            oy = (canvasH - glyphH) * (rnd.nextDouble() + rnd.nextDouble()) / 2;
        }
        double tx = ox + pad * scale - minX * scale, ty = oy + pad * scale - minY * scale;

        double width = Math.max(1.6, strokeRel * scale);
        double wobble = Math.min(width * 0.8, scale * 0.012 + rnd.nextDouble() * scale * 0.012);
        Pen pen = new Pen(g, ink, width, wobble, rnd);
        for (double[] s : strokes) {
            double[] px = new double[s.length];
            for (int i = 0; i < s.length; i += 2) {
                px[i] = s[i] * scale + tx;
                px[i + 1] = s[i + 1] * scale + ty;
            }
            pen.stroke(px);
        }
        for (double[] d : dots) {
            pen.dot(d[0] * scale + tx, d[1] * scale + ty, width * 0.75);
        }
    }

    private static double[] transform(double[] pts, double slant, double cos, double sin) {
        double[] out = new double[pts.length];
        for (int i = 0; i < pts.length; i += 2) {
            // Shear about the baseline: positive slant leans the tops to the right, as in italics.
            double x = pts[i] + slant * (1 - pts[i + 1]);
            double y = pts[i + 1];
            out[i] = x * cos - y * sin;
            out[i + 1] = x * sin + y * cos;
        }
        return out;
    }
}
