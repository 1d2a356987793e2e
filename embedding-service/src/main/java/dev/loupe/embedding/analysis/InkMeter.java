package dev.loupe.embedding.analysis;

import dev.loupe.imaging.SafeImageReader;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;

/**
 * How much of an image is ink: the mean darkness (0 white .. 1 black) over its pixels, alpha composited over white.
 * A blank page or a page that is mostly dark is atypical whatever a CNN makes of it (a model that never saw blank
 * pages embeds them like any other), so these are flagged from pixels, not from the embedding.
 */
public final class InkMeter {

    /** Below this a page is blank: no visible stroke. */
    public static final double BLANK = 0.002;
    /** Above this a page is mostly dark: an inverted scan, a photo of a dark surface, a smeared page. */
    public static final double DARK = 0.6;

    private InkMeter() {
    }

    /** The ink of an image of at most {@code maxPixels} pixels (checked from its header, before decoding). */
    public static double inkFraction(byte[] bytes, long maxPixels) throws IOException {
        BufferedImage image;
        try {
            image = SafeImageReader.read(bytes, maxPixels);
        } catch (SafeImageReader.UnreadableImageException e) {
            throw new IOException(e.getMessage(), e);
        }
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        boolean gray = bands <= 2 && image.getColorModel().getNumColorComponents() == 1;
        double max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        double sum = 0;
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixel = new int[bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double light;
                if (gray) {
                    raster.getPixel(x, y, pixel);
                    light = pixel[0] / max;
                    if (bands == 2) {
                        double alpha = pixel[1] / max;
                        light = light * alpha + (1 - alpha);
                    }
                } else {
                    int argb = image.getRGB(x, y);
                    double alpha = ((argb >>> 24) & 0xFF) / 255.0;
                    double luma = (0.299 * ((argb >> 16) & 0xFF) + 0.587 * ((argb >> 8) & 0xFF) + 0.114 * (argb & 0xFF)) / 255.0;
                    light = luma * alpha + (1 - alpha);
                }
                sum += 1 - light;
            }
        }
        return sum / ((double) w * h);
    }
}
