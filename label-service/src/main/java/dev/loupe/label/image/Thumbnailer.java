package dev.loupe.label.image;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Renders a PNG that fits in a square of the given size, keeping the aspect ratio. */
public final class Thumbnailer {

    private Thumbnailer() {
    }

    /** {@code source} as decoded by {@link ImageInspector#decode} (within the pixel limit). */
    public static byte[] pngThumbnail(BufferedImage source, int size) throws IOException {
        double scale = Math.min(1.0, Math.min((double) size / source.getWidth(), (double) size / source.getHeight()));
        int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage scaled = downscale(toStandard(source), width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(scaled, "png", out);
        return out.toByteArray();
    }

    /** Gray stays gray (our datasets are mostly 8-bit gray); everything else becomes RGB. */
    private static BufferedImage toStandard(BufferedImage source) {
        int type = source.getType() == BufferedImage.TYPE_BYTE_GRAY ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
        if (source.getType() == type) {
            return source;
        }
        BufferedImage converted = new BufferedImage(source.getWidth(), source.getHeight(), type);
        Graphics2D g = converted.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, source.getWidth(), source.getHeight());
        g.drawImage(source, 0, 0, null);
        g.dispose();
        return converted;
    }

    /**
     * Halves with bilinear filtering until within 2x of the target, then one last step: single-step bilinear
     * scaling by large factors skips pixels and makes thin strokes vanish or alias.
     */
    private static BufferedImage downscale(BufferedImage image, int width, int height) {
        BufferedImage current = image;
        int w = image.getWidth();
        int h = image.getHeight();
        do {
            w = Math.max(width, w / 2 >= width ? w / 2 : width);
            h = Math.max(height, h / 2 >= height ? h / 2 : height);
            BufferedImage next = new BufferedImage(w, h, image.getType());
            Graphics2D g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(current, 0, 0, w, h, null);
            g.dispose();
            current = next;
        } while (w != width || h != height);
        return current;
    }
}
