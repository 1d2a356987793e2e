package dev.loupe.embedding.embedder;

import dev.loupe.imaging.SafeImageReader;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Decodes image bytes into 8-bit planes exactly as the reference ({@code src/test/python/loupe_preprocess.py}) does
 * with PIL.
 *
 * <p>Works on raster samples, never {@code getRGB}: {@code getRGB} converts linear-gray images through a gamma
 * curve and would not match PIL. Rules, all mirrored from Pillow 9.4:
 * <ul>
 *   <li>16-bit samples keep their high byte; 1/2/4-bit samples are scaled by 255/(2^bits-1);</li>
 *   <li>anything with alpha is composited over opaque white with {@code Image.alpha_composite}'s fixed-point
 *       arithmetic, channel by channel, before the gray conversion;</li>
 *   <li>gray = {@code (R*19595 + G*38470 + B*7471 + 0x8000) >> 16} (PIL's {@code convert("L")}); gray to RGB
 *       replicates.</li>
 * </ul>
 * EXIF orientation and ICC profiles are ignored, like plain PIL {@code Image.open}. Stateless and thread-safe.
 */
final class ImageDecoder {

    private final long maxPixels;

    ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    DecodedImage decode(byte[] bytes, ColorMode color) throws ImageDecodeException {
        try {
            // the header is checked before decoding, so a tiny file claiming a huge canvas cannot exhaust the heap
            return toPlanes(SafeImageReader.read(bytes, maxPixels), color);
        } catch (SafeImageReader.UnreadableImageException e) {
            throw new ImageDecodeException(e.getMessage(), e);
        }
    }

    static DecodedImage toPlanes(BufferedImage image, ColorMode color) throws ImageDecodeException {
        ColorModel cm = image.getColorModel(); // straight alpha: SafeImageReader un-premultiplies
        Raster raster = image.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int n = w * h;
        int outPlanes = color == ColorMode.GRAY ? 1 : 3;
        byte[][] planes = new byte[outPlanes][n];

        if (cm instanceof IndexColorModel icm) {
            int[][] lut = paletteLut(icm, color);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int p = 0; p < outPlanes; p++) {
                    int[] l = lut[p];
                    byte[] plane = planes[p];
                    int base = y * w;
                    for (int x = 0; x < w; x++) {
                        plane[base + x] = (byte) l[row[x] & 0xff];
                    }
                }
            }
            return new DecodedImage(w, h, planes);
        }

        int bands = raster.getNumBands();
        boolean alpha = cm.hasAlpha();
        int colorBands = bands - (alpha ? 1 : 0);
        if (colorBands != 1 && colorBands != 3) {
            throw new ImageDecodeException("unsupported image: " + colorBands + " colour bands (e.g. CMYK)");
        }
        BandReader reader = new BandReader(raster);
        int[][] rows = new int[bands][w];
        for (int y = 0; y < h; y++) {
            for (int b = 0; b < bands; b++) {
                reader.read(y, b, rows[b]);
            }
            int[] a = alpha ? rows[bands - 1] : null;
            int base = y * w;
            if (colorBands == 1) {
                int[] g = rows[0];
                for (int x = 0; x < w; x++) {
                    byte v = (byte) (a == null ? g[x] : overWhite(g[x], a[x]));
                    for (int p = 0; p < outPlanes; p++) {
                        planes[p][base + x] = v;
                    }
                }
            } else {
                int[] r = rows[0];
                int[] g = rows[1];
                int[] bl = rows[2];
                for (int x = 0; x < w; x++) {
                    int rv = r[x];
                    int gv = g[x];
                    int bv = bl[x];
                    if (a != null) {
                        rv = overWhite(rv, a[x]);
                        gv = overWhite(gv, a[x]);
                        bv = overWhite(bv, a[x]);
                    }
                    if (outPlanes == 1) {
                        planes[0][base + x] = (byte) luma(rv, gv, bv);
                    } else {
                        planes[0][base + x] = (byte) rv;
                        planes[1][base + x] = (byte) gv;
                        planes[2][base + x] = (byte) bv;
                    }
                }
            }
        }
        return new DecodedImage(w, h, planes);
    }

    /** Palette index to output value per plane, with the same compositing and luma as for direct colour. */
    private static int[][] paletteLut(IndexColorModel icm, ColorMode color) {
        int size = icm.getMapSize();
        int[][] lut = new int[color == ColorMode.GRAY ? 1 : 3][256];
        for (int i = 0; i < 256; i++) {
            int idx = Math.min(i, size - 1);
            int a = icm.getAlpha(idx);
            int r = icm.hasAlpha() ? overWhite(icm.getRed(idx), a) : icm.getRed(idx);
            int g = icm.hasAlpha() ? overWhite(icm.getGreen(idx), a) : icm.getGreen(idx);
            int b = icm.hasAlpha() ? overWhite(icm.getBlue(idx), a) : icm.getBlue(idx);
            if (lut.length == 1) {
                lut[0][i] = luma(r, g, b);
            } else {
                lut[0][i] = r;
                lut[1][i] = g;
                lut[2][i] = b;
            }
        }
        return lut;
    }

    /** Pillow's {@code rgb2l}: 16-bit fixed-point ITU-R 601-2 luma, rounded. */
    static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /**
     * One channel of Pillow's {@code ImagingAlphaComposite} with an opaque white destination (AlphaComposite.c,
     * PRECISION_BITS = 7). With destination alpha 255 its coefficients reduce to {@code a*128} and
     * {@code (255-a)*128} exactly.
     */
    static int overWhite(int c, int a) {
        if (a == 0) {
            return 255;
        }
        int tmp = c * (a << 7) + 255 * ((255 - a) << 7) + (0x80 << 7);
        return (((tmp >> 8) + tmp) >> 8) >> 7;
    }

    /** Reads one band of one row as 8-bit values, straight from the byte array when the layout allows. */
    private static final class BandReader {
        private final Raster raster;
        private final int[] bits;
        private final byte[][] banks;
        private final int[] bandOffsets;
        private final int[] bankIndices;
        private final int pixelStride;
        private final int scanlineStride;
        private final int[] bankOffsets;

        BandReader(Raster raster) throws ImageDecodeException {
            this.raster = raster;
            SampleModel sm = raster.getSampleModel();
            this.bits = sm.getSampleSize();
            for (int b : bits) {
                if (b != 1 && b != 2 && b != 4 && b != 8 && b != 16) {
                    throw new ImageDecodeException("unsupported sample size: " + b + " bits");
                }
            }
            DataBuffer db = raster.getDataBuffer();
            // Fast path: interleaved or banded bytes of a non-child raster (what ImageIO returns for 8-bit PNG/JPEG).
            if (sm instanceof ComponentSampleModel csm && db instanceof DataBufferByte bytes
                    && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
                this.banks = bytes.getBankData();
                this.bandOffsets = csm.getBandOffsets();
                this.bankIndices = csm.getBankIndices();
                this.pixelStride = csm.getPixelStride();
                this.scanlineStride = csm.getScanlineStride();
                this.bankOffsets = bytes.getOffsets();
            } else {
                this.banks = null;
                this.bandOffsets = null;
                this.bankIndices = null;
                this.pixelStride = 0;
                this.scanlineStride = 0;
                this.bankOffsets = null;
            }
        }

        void read(int y, int band, int[] row) {
            int w = row.length;
            if (banks != null) {
                byte[] data = banks[bankIndices[band]];
                int i = bankOffsets[bankIndices[band]] + bandOffsets[band] + y * scanlineStride;
                for (int x = 0; x < w; x++, i += pixelStride) {
                    row[x] = data[i] & 0xff;
                }
                return;
            }
            raster.getSamples(0, y, w, 1, band, row);
            int b = bits[band];
            if (b == 16) {
                for (int x = 0; x < w; x++) {
                    row[x] >>>= 8;
                }
            } else if (b < 8) {
                int max = (1 << b) - 1;
                for (int x = 0; x < w; x++) {
                    row[x] = row[x] * 255 / max;
                }
            }
        }
    }
}
