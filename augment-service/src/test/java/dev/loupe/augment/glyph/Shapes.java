package dev.loupe.augment.glyph;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** Letters drawn with plain strokes on white paper (on RGB, then stored as gray, so values are exact). */
final class Shapes {

    private Shapes() {
    }

    static BufferedImage letterV(int width, int height, int ink) {
        return draw(width, height, ink, g -> {
            g.drawLine(width / 5, height / 6, width / 2, height * 5 / 6);
            g.drawLine(width / 2, height * 5 / 6, width * 4 / 5, height / 6);
        });
    }

    static BufferedImage letterI(int width, int height, int ink) {
        return draw(width, height, ink, g -> g.drawLine(width / 2, height / 6, width / 2, height * 5 / 6));
    }

    /** A "viii" as four column-separated strokes groups: V then three I's. */
    static BufferedImage viii(int ink) {
        return draw(300, 160, ink, g -> {
            g.drawLine(30, 30, 60, 130);
            g.drawLine(60, 130, 90, 30);
            for (int x : new int[] {140, 190, 240}) g.drawLine(x, 30, x, 130);
        });
    }

    private static BufferedImage draw(int width, int height, int ink, java.util.function.Consumer<Graphics2D> strokes) {
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(ink, ink, ink));
        g.setStroke(new BasicStroke(Math.max(2, height / 14f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        strokes.accept(g);
        g.dispose();
        BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) gray.getRaster().setSample(x, y, 0, rgb.getRGB(x, y) & 0xFF);
        }
        return gray;
    }
}
