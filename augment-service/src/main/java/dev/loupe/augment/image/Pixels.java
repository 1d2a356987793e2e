package dev.loupe.augment.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.util.Arrays;

/**
 * 8-bit gray (1 channel) or RGB (3 channels) pixels, channels interleaved, values 0-255: the one format every
 * operation works on, whatever the decoder produced.
 *
 * <p>A working buffer: each operation reads its input and writes a new instance, so an instance is owned by one
 * operation at a time and never shared between threads.
 */
public final class Pixels {

    private static final int MAX_SIDE = 1 << 15;

    private final int width;
    private final int height;
    private final int channels;
    private final int[] data;

    private Pixels(int width, int height, int channels, int[] data) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
    }

    /** A canvas filled with one colour; {@code colour} has one value per channel. */
    public static Pixels filled(int width, int height, int channels, int[] colour) {
        if (width < 1 || width > MAX_SIDE) throw new InvalidOperationException("width", "must be 1-" + MAX_SIDE + ", was " + width);
        if (height < 1 || height > MAX_SIDE) throw new InvalidOperationException("height", "must be 1-" + MAX_SIDE + ", was " + height);
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, was " + channels);
        if (colour.length != channels) throw new IllegalArgumentException("colour needs " + channels + " values");
        int[] data = new int[Math.multiplyExact(Math.multiplyExact(width, height), channels)];
        for (int i = 0; i < data.length; i++) data[i] = clamp(colour[i % channels]);
        return new Pixels(width, height, channels, data);
    }

    /**
     * Reads any decoded image. Gray models (including all-gray palettes) stay one channel, scaled to 8 bits and
     * taken as stored: PNG gray values are what people mean, while Java2D would treat TYPE_BYTE_GRAY as linear light
     * and shift every mid-gray through {@code getRGB}. Everything else becomes RGB; alpha is composited over white,
     * the paper colour of scans, so transparent areas read as background rather than black.
     */
    public static Pixels of(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel palette) {
            return fromRgb(image, allGray(palette) ? 1 : 3);
        }
        if (cm.getNumColorComponents() == 1) {
            int bits = cm.getComponentSize(0);
            int max = (1 << bits) - 1;
            int[] samples = image.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            if (bits != 8) {
                for (int i = 0; i < samples.length; i++) samples[i] = (int) Math.round(samples[i] * 255.0 / max);
            }
            if (cm.hasAlpha()) {
                int[] alpha = image.getAlphaRaster().getSamples(0, 0, w, h, 0, (int[]) null);
                int amax = (1 << cm.getComponentSize(1)) - 1;
                for (int i = 0; i < samples.length; i++) samples[i] = overWhite(samples[i], alpha[i] * 255 / amax);
            }
            return new Pixels(w, h, 1, samples);
        }
        return fromRgb(image, 3);
    }

    private static Pixels fromRgb(BufferedImage image, int channels) {
        int w = image.getWidth(), h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        boolean alpha = image.getColorModel().hasAlpha();
        int[] data = new int[w * h * channels];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i], a = alpha ? p >>> 24 : 255;
            if (channels == 1) {
                data[i] = overWhite(p & 0xFF, a);
            } else {
                data[i * 3] = overWhite((p >> 16) & 0xFF, a);
                data[i * 3 + 1] = overWhite((p >> 8) & 0xFF, a);
                data[i * 3 + 2] = overWhite(p & 0xFF, a);
            }
        }
        return new Pixels(w, h, channels, data);
    }

    private static boolean allGray(IndexColorModel palette) {
        for (int i = 0; i < palette.getMapSize(); i++) {
            int r = palette.getRed(i);
            if (r != palette.getGreen(i) || r != palette.getBlue(i)) return false;
        }
        return true;
    }

    private static int overWhite(int v, int alpha) {
        return alpha == 255 ? v : (v * alpha + 255 * (255 - alpha) + 127) / 255;
    }

    /** TYPE_BYTE_GRAY for one channel, TYPE_INT_RGB for three; a new image each call. */
    public BufferedImage toImage() {
        if (channels == 1) {
            BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < data.length; i++) dst[i] = (byte) data[i];
            return out;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < dst.length; i++) {
            dst[i] = data[i * 3] << 16 | data[i * 3 + 1] << 8 | data[i * 3 + 2];
        }
        return out;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    public int get(int x, int y, int channel) {
        return data[(y * width + x) * channels + channel];
    }

    /** Stores a value, clamped to 0-255. */
    public void set(int x, int y, int channel, int value) {
        data[(y * width + x) * channels + channel] = clamp(value);
    }

    /** Sets every channel of one pixel; {@code colour} has one value per channel. */
    public void setPixel(int x, int y, int[] colour) {
        int base = (y * width + x) * channels;
        for (int c = 0; c < channels; c++) data[base + c] = clamp(colour[c]);
    }

    /** Gray value, or Rec. 601 luma of an RGB pixel: what "darker" means for ink. */
    public int luminance(int x, int y) {
        int base = (y * width + x) * channels;
        if (channels == 1) return data[base];
        return (299 * data[base] + 587 * data[base + 1] + 114 * data[base + 2] + 500) / 1000;
    }

    /**
     * The background colour: per channel, the median of the 1-pixel border (lower median, so it is a value that
     * occurs). Scans have paper at the edges and ink in the middle, so while more than half of the border is one
     * colour that colour is returned exactly: a white page stays exactly white when rotated or shifted, and a
     * thumb or ruled line touching the edge does not tint the fill.
     */
    public int[] background() {
        int[] colour = new int[channels];
        for (int c = 0; c < channels; c++) {
            int[] histogram = new int[256];
            int n = 0;
            for (int x = 0; x < width; x++) {
                histogram[get(x, 0, c)]++;
                n++;
                if (height > 1) {
                    histogram[get(x, height - 1, c)]++;
                    n++;
                }
            }
            for (int y = 1; y < height - 1; y++) {
                histogram[get(0, y, c)]++;
                n++;
                if (width > 1) {
                    histogram[get(width - 1, y, c)]++;
                    n++;
                }
            }
            int rank = (n - 1) / 2, seen = 0, v = 0;
            while ((seen += histogram[v]) <= rank) v++;
            colour[c] = v;
        }
        return colour;
    }

    /** A blank canvas of the same size and channels. */
    public Pixels blank(int[] colour) {
        return filled(width, height, channels, colour);
    }

    public Pixels copy() {
        return new Pixels(width, height, channels, data.clone());
    }

    /** The same pixels with three channels (gray replicated); this instance's copy when already RGB. */
    public Pixels toRgb() {
        if (channels == 3) return copy();
        int[] rgb = new int[data.length * 3];
        for (int i = 0; i < data.length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = data[i];
        return new Pixels(width, height, 3, rgb);
    }

    /**
     * Copies {@code image} onto this canvas with its top-left corner at ({@code left}, {@code top}); with
     * {@code darkest}, each channel keeps the darker value, so white never covers ink. Must fit inside.
     */
    public void paste(Pixels image, int left, int top, boolean darkest) {
        if (image.channels != channels) throw new IllegalArgumentException("channel counts differ");
        for (int y = 0; y < image.height; y++) {
            int from = y * image.width * channels, to = ((top + y) * width + left) * channels;
            int n = image.width * channels;
            if (!darkest) {
                System.arraycopy(image.data, from, data, to, n);
                continue;
            }
            for (int k = 0; k < n; k++) data[to + k] = Math.min(data[to + k], image.data[from + k]);
        }
    }

    /** A copy of a box, which must lie inside. */
    Pixels region(Rect box) {
        int[] out = new int[box.width() * box.height() * channels];
        for (int y = 0; y < box.height(); y++) {
            System.arraycopy(data, ((box.y() + y) * width + box.x()) * channels, out, y * box.width() * channels,
                    box.width() * channels);
        }
        return new Pixels(box.width(), box.height(), channels, out);
    }

    /** A mirror image: left-right about the vertical axis, else top-bottom. Exact, so twice is the identity. */
    Pixels mirrored(boolean leftRight) {
        int[] out = new int[data.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int from = (y * width + x) * channels;
                int to = leftRight ? (y * width + width - 1 - x) * channels : ((height - 1 - y) * width + x) * channels;
                System.arraycopy(data, from, out, to, channels);
            }
        }
        return new Pixels(width, height, channels, out);
    }

    /** Reads through without bounds checks on channel layout; for the resampler's tight loops. */
    int raw(int index) {
        return data[index];
    }

    void rawSet(int index, int value) {
        data[index] = value;
    }

    static Pixels wrap(int width, int height, int channels, int[] data) {
        return new Pixels(width, height, channels, data);
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** Rounds and clamps a filtered value; every operation ends through here so results never wrap around. */
    static int toByte(double v) {
        return v <= 0 ? 0 : v >= 255 ? 255 : (int) Math.round(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pixels p && p.width == width && p.height == height && p.channels == channels
                && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + width * 7 + channels;
    }

    @Override
    public String toString() {
        return "Pixels[" + width + "x" + height + "x" + channels + "]";
    }
}
