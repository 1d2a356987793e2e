package dev.loupe.augment.image;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.BitSet;

/**
 * Which pixels an erase selects: non-zero pixels of a mask image (any colour channel), and in a mask with alpha only
 * pixels that are not fully transparent (a transparent layer with white strokes selects the strokes; an opaque mask
 * is not all-selected). Immutable; a mask that selects nothing is invalid, because an erase that
 * erases nothing is almost always a mask drawn on the wrong layer or inverted.
 */
public final class Mask {

    private final int width;
    private final int height;
    private final BitSet bits;

    private Mask(int width, int height, BitSet bits) {
        this.width = width;
        this.height = height;
        this.bits = bits;
        if (bits.isEmpty()) throw new InvalidOperationException("mask", "selects no pixel (all zero)");
    }

    public static Mask of(BufferedImage image) {
        if (image.getColorModel().hasAlpha()) {
            // a mask drawn on a transparent layer (a browser canvas): selected where painted, i.e. not transparent
            // and not black; Pixels would composite the transparent background over white and select everything
            int w = image.getWidth(), h = image.getHeight();
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            BitSet bits = new BitSet(w * h);
            for (int i = 0; i < argb.length; i++) {
                if ((argb[i] >>> 24) != 0 && (argb[i] & 0xFFFFFF) != 0) bits.set(i);
            }
            return new Mask(w, h, bits);
        }
        Pixels p = Pixels.of(image);
        BitSet bits = new BitSet(p.width() * p.height());
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                for (int c = 0; c < p.channels(); c++) {
                    if (p.get(x, y, c) != 0) {
                        bits.set(y * p.width() + x);
                        break;
                    }
                }
            }
        }
        return new Mask(p.width(), p.height(), bits);
    }

    /**
     * Decodes PNG (or any format ImageIO reads) bytes through {@link Png#decode}: a mask whose header claims more than
     * {@link Png#MAX_PIXELS} pixels is refused (naming {@code mask}) before a pixel is decoded.
     */
    public static Mask fromPng(byte[] png) {
        try {
            return of(Png.decode(png));
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidOperationException invalid) throw invalid;
            throw new InvalidOperationException("mask", e.getMessage());
        }
    }

    public static Mask fromBase64Png(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidOperationException("mask", "is not base64: " + e.getMessage());
        }
        return fromPng(bytes);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public boolean selects(int x, int y) {
        return bits.get(y * width + x);
    }

    public int count() {
        return bits.cardinality();
    }

    /** The mask as a gray PNG (255 = selected), base64: the map form, so parse(toMap()) gives the same mask. */
    public String toBase64Png() {
        Pixels p = Pixels.filled(width, height, 1, new int[] {0});
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) p.set(i % width, i / width, 0, 255);
        return Base64.getEncoder().encodeToString(Png.encode(p.toImage()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.width == width && m.height == height && m.bits.equals(bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode() * 31 + width;
    }

    @Override
    public String toString() {
        return "Mask[" + width + "x" + height + ", " + count() + " selected]";
    }
}
