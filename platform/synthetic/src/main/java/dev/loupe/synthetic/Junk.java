package dev.loupe.synthetic;

import java.awt.BasicStroke;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.random.RandomGenerator;

/**
 * Images that show no numeral at all, mirroring the rubbish found in the 2021 data: empty sheets,
 * sensor noise, doodles and ruled or squared paper. They exist so that tools can be tested on finding them.
 */
final class Junk {

    private Junk() {
    }

    static BufferedImage render(RandomGenerator rnd) {
        Paper paper = Paper.random(rnd);
        double grain = 0;
        switch (rnd.nextInt(4)) {
            case 0 -> blank(paper, rnd);
            case 1 -> grain = noise(paper, rnd);
            case 2 -> scribbles(paper, rnd);
            default -> grid(paper, rnd);
        }
        return paper.quantise(grain, rnd);
    }

    /** Almost empty: at most a few specks, so "is there anything here?" is the question to ask. */
    private static void blank(Paper paper, RandomGenerator rnd) {
        if (rnd.nextBoolean()) paper.specks(rnd, rnd.nextInt(6), 0.5, 1.5);
    }

    /** Salt-and-pepper or blotchy texture over the whole sheet; returns grain for the quantiser. */
    private static double noise(Paper paper, RandomGenerator rnd) {
        int area = paper.w * paper.h;
        if (rnd.nextBoolean()) {
            paper.specks(rnd, (int) (area * (0.01 + rnd.nextDouble() * 0.05)), 0.4, 1.2);
            return 0;
        }
        // Mid-gray wash whose grain decides pixel by pixel between the three levels.
        paper.g.setColor(Paper.gray(100 + rnd.nextInt(80)));
        paper.g.fillRect(0, 0, paper.w, paper.h);
        paper.specks(rnd, 20 + rnd.nextInt(200), 1, 6);
        return 40 + rnd.nextDouble() * 50;
    }

    /** Random pen loops that never form a numeral (the generator never draws straight letter shapes here). */
    private static void scribbles(Paper paper, RandomGenerator rnd) {
        double width = 1.6 + rnd.nextDouble() * Math.min(paper.w, paper.h) * 0.04;
        Pen pen = new Pen(paper.g, Paper.randomInk(rnd), width, width * 0.5, rnd);
        int n = 1 + rnd.nextInt(3);
        for (int k = 0; k < n; k++) {
            // A loopy curve: points on a wandering circle, which reads as a doodle rather than a letter.
            int points = 12 + rnd.nextInt(20);
            double cx = paper.w * (0.2 + rnd.nextDouble() * 0.6), cy = paper.h * (0.2 + rnd.nextDouble() * 0.6);
            double r = Math.min(paper.w, paper.h) * (0.08 + rnd.nextDouble() * 0.2);
            double a = rnd.nextDouble() * Math.PI * 2, da = 0.5 + rnd.nextDouble() * 0.6;
            double[] pts = new double[points * 2];
            for (int i = 0; i < points; i++) {
                a += da;
                cx += rnd.nextGaussian() * r * 0.15;
                cy += rnd.nextGaussian() * r * 0.15;
                pts[2 * i] = cx + Math.cos(a) * r;
                pts[2 * i + 1] = cy + Math.sin(a) * r * (0.5 + rnd.nextDouble());
            }
            pen.stroke(pts);
        }
    }

    /** Ruled lines or squared paper, sometimes with dirt on it. */
    private static void grid(Paper paper, RandomGenerator rnd) {
        paper.g.setColor(Paper.gray(rnd.nextInt(130)));
        paper.g.setStroke(new BasicStroke((float) (1 + rnd.nextDouble() * 2)));
        double step = 10 + rnd.nextDouble() * 35;
        double tilt = rnd.nextGaussian() * 3;
        for (double y = rnd.nextDouble() * step; y < paper.h; y += step) {
            paper.g.draw(new Line2D.Double(0, y, paper.w, y + tilt));
        }
        if (rnd.nextDouble() < 0.6) {
            for (double x = rnd.nextDouble() * step; x < paper.w; x += step) {
                paper.g.draw(new Line2D.Double(x, 0, x - tilt, paper.h));
            }
        }
        if (rnd.nextBoolean()) paper.specks(rnd, rnd.nextInt(40), 0.5, 2);
    }
}
