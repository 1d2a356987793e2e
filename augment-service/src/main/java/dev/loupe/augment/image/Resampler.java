package dev.loupe.augment.image;

/**
 * Inverse-mapped resampling with the Catmull-Rom cubic (bicubic, a = -0.5).
 *
 * <p>Why this kernel: it interpolates (weight 1 at distance 0, 0 at every other whole pixel), so whole-pixel
 * shifts, 90-degree turns and same-size resizes copy pixels exactly; it is sharper than bilinear on thin pen
 * strokes. When an image shrinks, the kernel is stretched by the shrink factor so every source pixel contributes
 * (an area filter) instead of aliasing. Results are rounded and clamped, which also absorbs the kernel's small
 * overshoot next to hard edges: white next to ink stays 255 instead of ringing.
 *
 * <p>Where a sample falls outside the source, {@link Edge#FILL} uses the background colour (new canvas area)
 * and {@link Edge#CLAMP} repeats the edge pixel (resizing, where there is no new area).
 */
final class Resampler {

    enum Edge { FILL, CLAMP }

    private static final double SUPPORT = 2;

    private Resampler() {
    }

    static double kernel(double t) {
        t = Math.abs(t);
        if (t < 1) return (1.5 * t - 2.5) * t * t + 1;
        if (t < 2) return ((-0.5 * t + 2.5) * t - 4) * t + 2;
        return 0;
    }

    /**
     * Axis-aligned maps ({@code u = ax * x + bx}, {@code v = ay * y + by}, in pixel-centre coordinates), done as
     * two separable passes. {@code scaleX} is output pixels per source pixel along x (stretches the kernel when < 1).
     */
    static Pixels axisAligned(Pixels src, int outW, int outH, double ax, double bx, double ay, double by,
                              double scaleX, double scaleY, Edge edge, int[] fill) {
        Taps xs = taps(outW, src.width(), ax, bx, scaleX, edge);
        Taps ys = taps(outH, src.height(), ay, by, scaleY, edge);
        int ch = src.channels();

        // Horizontal pass over every source row, kept in double so the vertical pass does not round twice.
        double[] rows = new double[src.height() * outW * ch];
        for (int y = 0; y < src.height(); y++) {
            for (int x = 0; x < outW; x++) {
                for (int c = 0; c < ch; c++) {
                    double acc = 0;
                    for (int k = xs.start[x]; k < xs.start[x + 1]; k++) {
                        int i = xs.index[k];
                        acc += xs.weight[k] * (i < 0 ? fill[c] : src.raw((y * src.width() + i) * ch + c));
                    }
                    rows[(y * outW + x) * ch + c] = acc;
                }
            }
        }
        int[] out = new int[outW * outH * ch];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                for (int c = 0; c < ch; c++) {
                    double acc = 0;
                    for (int k = ys.start[y]; k < ys.start[y + 1]; k++) {
                        int j = ys.index[k];
                        acc += ys.weight[k] * (j < 0 ? fill[c] : rows[(j * outW + x) * ch + c]);
                    }
                    out[(y * outW + x) * ch + c] = Pixels.toByte(acc);
                }
            }
        }
        return Pixels.wrap(outW, outH, ch, out);
    }

    /**
     * A general affine map from output to source pixel centres: {@code u = m[0] x + m[1] y + m[2]},
     * {@code v = m[3] x + m[4] y + m[5]}, same output size, background outside; used for rotations, whose
     * footprint is not axis-aligned. The kernel is evaluated separably in source axes.
     */
    static Pixels affine(Pixels src, double[] m, int[] fill) {
        int w = src.width(), h = src.height(), ch = src.channels();
        int[] out = new int[w * h * ch];
        double[] wx = new double[5], wy = new double[5];
        double[] acc = new double[ch];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = m[0] * x + m[1] * y + m[2];
                double v = m[3] * x + m[4] * y + m[5];
                int i0 = (int) Math.floor(u) - 1, j0 = (int) Math.floor(v) - 1;
                double sx = 0, sy = 0;
                for (int k = 0; k < 4; k++) {
                    sx += wx[k] = kernel(u - (i0 + k));
                    sy += wy[k] = kernel(v - (j0 + k));
                }
                java.util.Arrays.fill(acc, 0);
                for (int b = 0; b < 4; b++) {
                    int j = j0 + b;
                    boolean rowIn = j >= 0 && j < h;
                    for (int a = 0; a < 4; a++) {
                        double weight = wx[a] * wy[b];
                        if (weight == 0) continue;
                        int i = i0 + a;
                        if (rowIn && i >= 0 && i < w) {
                            int base = (j * w + i) * ch;
                            for (int c = 0; c < ch; c++) acc[c] += weight * src.raw(base + c);
                        } else {
                            for (int c = 0; c < ch; c++) acc[c] += weight * fill[c];
                        }
                    }
                }
                double norm = sx * sy;
                int base = (y * w + x) * ch;
                for (int c = 0; c < ch; c++) out[base + c] = Pixels.toByte(acc[c] / norm);
            }
        }
        return Pixels.wrap(w, h, ch, out);
    }

    /** Per output position, the source indices (-1 = fill) and normalised weights it reads. */
    private record Taps(int[] start, int[] index, double[] weight) {
    }

    private static Taps taps(int outN, int srcN, double a, double b, double scale, Edge edge) {
        double stretch = Math.max(1, 1 / scale);
        double radius = SUPPORT * stretch;
        int perOut = (int) Math.ceil(2 * radius) + 2;
        int[] start = new int[outN + 1];
        int[] index = new int[outN * perOut];
        double[] weight = new double[outN * perOut];
        int n = 0;
        for (int o = 0; o < outN; o++) {
            start[o] = n;
            double u = a * o + b;
            int lo = (int) Math.ceil(u - radius), hi = (int) Math.floor(u + radius);
            double sum = 0;
            int first = n;
            for (int i = lo; i <= hi; i++) {
                double wgt = kernel((i - u) / stretch);
                if (wgt == 0) continue;
                int src = i;
                if (i < 0 || i >= srcN) src = edge == Edge.CLAMP ? Math.max(0, Math.min(srcN - 1, i)) : -1;
                index[n] = src;
                weight[n] = wgt;
                sum += wgt;
                n++;
            }
            // Weights sum to 1 except for rounding and a stretched kernel's truncation; normalise so flat stays flat.
            for (int k = first; k < n; k++) weight[k] /= sum;
        }
        start[outN] = n;
        return new Taps(start, index, weight);
    }
}
