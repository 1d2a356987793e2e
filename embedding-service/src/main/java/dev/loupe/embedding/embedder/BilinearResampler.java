package dev.loupe.embedding.embedder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pad-to-square plus {@code Image.resize((S, S), Image.BILINEAR)}, bit-exact with Pillow 9.4 (libImaging/Resample.c).
 *
 * <p>PIL resamples with a separable triangle filter whose support grows with the downscale factor (so it
 * antialiases), horizontal pass first into an 8-bit intermediate, then vertical, using 22-bit fixed-point
 * coefficients. Coefficients depend only on (source size, output size) and are cached per instance.
 *
 * <p>The white padding is never materialised: each source row is laid into a reusable padded row buffer and rows
 * that are entirely padding share one precomputed output row, so a 8000x500 image costs no 64 MB canvas.
 *
 * <p>Thread-safe: the cache is concurrent and everything else is per call.
 */
final class BilinearResampler {

    /** Pillow: {@code 32 - 8 - 2}, leaving headroom for 8-bit samples times coefficients. */
    private static final int PRECISION_BITS = 22;
    /** Distinct source sizes are unbounded in theory; recomputing coefficients is cheap, so just start over. */
    private static final int MAX_CACHED = 512;

    private final Map<Long, Coefficients> cache = new ConcurrentHashMap<>();

    /** Fixed-point filter taps: for output pixel i, {@code len[i]} taps starting at source index {@code start[i]}. */
    record Coefficients(int[] start, int[] len, int[] k, int ksize) {
    }

    /**
     * Resizes the white square canvas of side {@code max(w, h)} holding {@code plane} at
     * {@code ((side - w) / 2, (side - h) / 2)} to {@code out x out}.
     */
    byte[] padAndResize(byte[] plane, int w, int h, int out) {
        int side = Math.max(w, h);
        int offX = (side - w) / 2;
        int offY = (side - h) / 2;
        if (side == out) {
            // PIL returns a plain copy when the size does not change.
            byte[] canvas = new byte[out * out];
            java.util.Arrays.fill(canvas, (byte) 255);
            for (int y = 0; y < h; y++) {
                System.arraycopy(plane, y * w, canvas, (y + offY) * out + offX, w);
            }
            return canvas;
        }
        Coefficients c = coefficients(side, out);

        // Horizontal pass over only the source rows the vertical pass will read.
        int first = c.start[0];
        int last = c.start[out - 1] + c.len[out - 1];
        byte[] temp = new byte[(last - first) * out];
        byte[] row = new byte[side];
        java.util.Arrays.fill(row, (byte) 255);
        byte[] whiteRow = null;
        for (int y = first; y < last; y++) {
            int srcY = y - offY;
            int dst = (y - first) * out;
            if (srcY < 0 || srcY >= h) {
                if (whiteRow == null) {
                    byte[] allWhite = new byte[side];
                    java.util.Arrays.fill(allWhite, (byte) 255);
                    whiteRow = new byte[out];
                    resampleRow(allWhite, c, whiteRow, 0);
                }
                System.arraycopy(whiteRow, 0, temp, dst, out);
            } else {
                System.arraycopy(plane, srcY * w, row, offX, w);
                resampleRow(row, c, temp, dst);
            }
        }

        // Vertical pass, accumulating a whole output row at once (same integer sums as PIL's per-pixel loop).
        byte[] result = new byte[out * out];
        int[] acc = new int[out];
        for (int yy = 0; yy < out; yy++) {
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            int ymin = c.start[yy] - first;
            int kBase = yy * c.ksize;
            for (int t = 0; t < c.len[yy]; t++) {
                int k = c.k[kBase + t];
                int src = (ymin + t) * out;
                for (int xx = 0; xx < out; xx++) {
                    acc[xx] += (temp[src + xx] & 0xff) * k;
                }
            }
            int dst = yy * out;
            for (int xx = 0; xx < out; xx++) {
                result[dst + xx] = clip8(acc[xx]);
            }
        }
        return result;
    }

    private static void resampleRow(byte[] src, Coefficients c, byte[] dst, int dstOffset) {
        int out = c.start.length;
        for (int xx = 0; xx < out; xx++) {
            int ss = 1 << (PRECISION_BITS - 1);
            int xmin = c.start[xx];
            int kBase = xx * c.ksize;
            for (int t = 0, n = c.len[xx]; t < n; t++) {
                ss += (src[xmin + t] & 0xff) * c.k[kBase + t];
            }
            dst[dstOffset + xx] = clip8(ss);
        }
    }

    private static byte clip8(int v) {
        if (v >= (1 << PRECISION_BITS << 8)) {
            return (byte) 255;
        }
        if (v <= 0) {
            return 0;
        }
        return (byte) (v >> PRECISION_BITS);
    }

    Coefficients coefficients(int inSize, int outSize) {
        long key = ((long) inSize << 32) | outSize;
        Coefficients c = cache.get(key);
        if (c == null) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            c = compute(inSize, outSize);
            cache.put(key, c);
        }
        return c;
    }

    /** {@code precompute_coeffs} + {@code normalize_coeffs_8bpc}, same operations in the same order (box = whole image). */
    static Coefficients compute(int inSize, int outSize) {
        double scale = (double) ((float) inSize - 0f) / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = 1.0 * filterscale; // BILINEAR support is 1.0
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[outSize];
        int[] len = new int[outSize];
        int[] k = new int[outSize * ksize];
        double[] w = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = 0.0 + (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            for (int x = 0; x < xmax; x++) {
                double v = triangle((x + xmin - center + 0.5) * ss);
                w[x] = v;
                ww += v;
            }
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? w[x] / ww : w[x];
                // Bilinear weights are never negative, so PIL's negative branch is not needed.
                k[xx * ksize + x] = (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            start[xx] = xmin;
            len[xx] = xmax;
        }
        return new Coefficients(start, len, k, ksize);
    }

    private static double triangle(double x) {
        if (x < 0.0) {
            x = -x;
        }
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
