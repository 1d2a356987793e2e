package dev.loupe.embedding.analysis;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * UMAP's 2-D layout of a k-NN graph, as umap-learn 0.5 computes it, with its gradient descent spread over cores.
 *
 * <ol>
 *   <li>Fuzzy simplicial set: each point's neighbour distances become memberships exp(-(d - rho) / sigma), rho the
 *   distance to the nearest neighbour and sigma chosen so the memberships sum to log2(k + 1); the directed graph is
 *   made symmetric with the fuzzy union a + b - ab; edges lighter than the heaviest / epochs are dropped.</li>
 *   <li>Start: the given positions (Loupe passes the first two principal components) scaled to [0, 10] on each
 *   axis.</li>
 *   <li>Stochastic gradient descent: an edge of weight w is sampled every max(w) / w epochs, pulling both ends together
 *   along the low-dimensional curve 1 / (1 + a d^2b) (a, b fitted to min-dist), and pushing its head away from
 *   5 random points; the learning rate falls linearly from 1 to 0 over the epochs, every move is clipped to 4.</li>
 * </ol>
 *
 * <p>Like umap-learn's parallel layout (numba {@code prange}), the edges are split among threads that update the
 * shared positions without locks (Hogwild): with more than one thread, a run's result depends slightly on thread
 * timing. With one thread, and always below {@link #PARALLEL_EDGES} edges, it is a pure function of the input and the
 * seed.</p>
 */
public final class UmapLayout {

    private static final int NEGATIVE_SAMPLE_RATE = 5;
    private static final double GAMMA = 1.0;
    private static final double CLIP = 4.0;
    /** Below this many edges (about 4,000 points) the descent runs on one thread and is reproducible. */
    static final int PARALLEL_EDGES = 100_000;

    private UmapLayout() {
    }

    /** The low-dimensional similarity curve 1 / (1 + a d^2b). */
    public record Curve(double a, double b) {

        /**
         * The curve umap-learn fits ({@code find_ab_params}): least squares against 1 below {@code minDist} and
         * exp(-(d - minDist) / spread) above, on 300 points of [0, 3 spread]. For min-dist 0.1, spread 1: a 1.577,
         * b 0.895.
         */
        public static Curve fit(double minDist, double spread) {
            int points = 300;
            double[] x = new double[points];
            double[] y = new double[points];
            for (int i = 0; i < points; i++) {
                x[i] = 3 * spread * i / (points - 1);
                y[i] = x[i] < minDist ? 1 : Math.exp(-(x[i] - minDist) / spread);
            }
            // Levenberg-Marquardt on (a, b) from scipy's curve_fit start (1, 1)
            double a = 1;
            double b = 1;
            double lambda = 1e-3;
            double error = squaredError(x, y, a, b);
            for (int iteration = 0; iteration < 500; iteration++) {
                double jaa = 0;
                double jab = 0;
                double jbb = 0;
                double ga = 0;
                double gb = 0;
                for (int i = 1; i < points; i++) {
                    double p = Math.pow(x[i], 2 * b);
                    double f = 1 / (1 + a * p);
                    double da = -p * f * f;
                    double db = -a * p * 2 * Math.log(x[i]) * f * f;
                    double r = y[i] - f;
                    jaa += da * da;
                    jab += da * db;
                    jbb += db * db;
                    ga += da * r;
                    gb += db * r;
                }
                double maa = jaa * (1 + lambda);
                double mbb = jbb * (1 + lambda);
                double det = maa * mbb - jab * jab;
                double stepA = (mbb * ga - jab * gb) / det;
                double stepB = (maa * gb - jab * ga) / det;
                double next = squaredError(x, y, a + stepA, b + stepB);
                if (next < error) {
                    a += stepA;
                    b += stepB;
                    lambda /= 10;
                    boolean converged = error - next < 1e-15;
                    error = next;
                    if (converged) {
                        break;
                    }
                } else {
                    lambda *= 10;
                    if (lambda > 1e12) {
                        break;
                    }
                }
            }
            return new Curve(a, b);
        }

        private static double squaredError(double[] x, double[] y, double a, double b) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                double r = y[i] - 1 / (1 + a * Math.pow(x[i], 2 * b));
                sum += r * r;
            }
            return sum;
        }
    }

    /** The symmetric fuzzy graph as directed edges (each undirected edge once from each end), row by row. */
    record Graph(int[] head, int[] tail, double[] weight) {
    }

    /**
     * Lays out a k-NN graph in 2-D.
     *
     * @param knn     each point's neighbours (itself excluded) with cosine distances of unit vectors
     * @param start   a starting position per point (any scale; only its shape counts)
     * @param epochs  passes of the gradient descent
     * @param minDist how close points may pack on the map
     * @param seed    seed of the negative sampling
     * @param threads threads of the gradient descent; 1 makes the result reproducible
     * @return one (x, y) per point
     */
    public static double[][] layout(Neighbors[] knn, double[][] start, int epochs, double minDist, long seed,
                                    int threads) {
        int n = knn.length;
        Graph graph = fuzzyGraph(knn, epochs);
        float[] xy = initial(start);
        Curve curve = Curve.fit(minDist, 1.0);
        optimize(xy, n, graph, epochs, curve, seed, Math.max(1, threads));
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new double[]{xy[2 * i], xy[2 * i + 1]};
        }
        return out;
    }

    /** umap-learn's {@code fuzzy_simplicial_set} with local connectivity 1 and the plain fuzzy union. */
    static Graph fuzzyGraph(Neighbors[] knn, int epochs) {
        int n = knn.length;
        // directed memberships, one row per point
        double[][] member = new double[n][];
        for (int i = 0; i < n; i++) {
            member[i] = memberships(knn[i]);
        }
        // the reverse direction: who lists i, with which membership
        int[] incomingCount = new int[n + 1];
        for (Neighbors near : knn) {
            for (int j : near.index()) {
                incomingCount[j + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            incomingCount[i + 1] += incomingCount[i];
        }
        int[] incomingFrom = new int[incomingCount[n]];
        double[] incomingWeight = new double[incomingCount[n]];
        int[] fill = incomingCount.clone();
        for (int i = 0; i < n; i++) {
            int[] near = knn[i].index();
            for (int s = 0; s < near.length; s++) {
                int slot = fill[near[s]]++;
                incomingFrom[slot] = i;
                incomingWeight[slot] = member[i][s];
            }
        }
        // symmetric rows: a + b - ab over the union of both directions
        int capacity = 0;
        for (int i = 0; i < n; i++) {
            capacity += knn[i].size() + incomingCount[i + 1] - incomingCount[i];
        }
        int[] head = new int[capacity];
        int[] tail = new int[capacity];
        double[] weight = new double[capacity];
        int m = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            int[] near = knn[i].index();
            for (int s = 0; s < near.length; s++) {
                if (near[s] == i || listedBefore(near, s)) {
                    continue;
                }
                double a = member[i][s];
                double b = 0;
                for (int slot = incomingCount[i]; slot < incomingCount[i + 1]; slot++) {
                    if (incomingFrom[slot] == near[s]) {
                        b = incomingWeight[slot];
                        break;
                    }
                }
                head[m] = i;
                tail[m] = near[s];
                weight[m] = a + b - a * b;
                max = Math.max(max, weight[m++]);
            }
            for (int slot = incomingCount[i]; slot < incomingCount[i + 1]; slot++) {
                int j = incomingFrom[slot];
                if (j == i || contains(near, j) || seenIncoming(incomingFrom, incomingCount[i], slot)) {
                    continue;
                }
                head[m] = i;
                tail[m] = j;
                weight[m] = incomingWeight[slot];
                max = Math.max(max, weight[m++]);
            }
        }
        // edges that would be sampled less than once over the run are dropped
        double floor = max / epochs;
        int kept = 0;
        for (int e = 0; e < m; e++) {
            if (weight[e] >= floor && weight[e] > 0) {
                head[kept] = head[e];
                tail[kept] = tail[e];
                weight[kept++] = weight[e];
            }
        }
        return new Graph(java.util.Arrays.copyOf(head, kept), java.util.Arrays.copyOf(tail, kept),
                java.util.Arrays.copyOf(weight, kept));
    }

    private static boolean listedBefore(int[] near, int s) {
        for (int t = 0; t < s; t++) {
            if (near[t] == near[s]) {
                return true;
            }
        }
        return false;
    }

    private static boolean seenIncoming(int[] from, int first, int slot) {
        for (int t = first; t < slot; t++) {
            if (from[t] == from[slot]) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /** One point's memberships ({@code smooth_knn_dist}): distances as chords of the unit sphere. */
    static double[] memberships(Neighbors near) {
        int k = near.size();
        double[] d = new double[k];
        double rho = 0;
        double mean = 0;
        for (int j = 0; j < k; j++) {
            d[j] = Math.sqrt(2 * Math.max(0, near.distance()[j]));
            mean += d[j] / Math.max(1, k);
            if (rho == 0 && d[j] > 0) {
                rho = d[j];
            }
        }
        double target = Math.log(k + 1) / Math.log(2);
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        double sigma = 1;
        for (int iteration = 0; iteration < 64; iteration++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double excess = d[j] - rho;
                sum += excess > 0 ? Math.exp(-excess / sigma) : 1;
            }
            if (Math.abs(sum - target) < 1e-5) {
                break;
            }
            if (sum > target) {
                hi = sigma;
                sigma = (lo + hi) / 2;
            } else {
                lo = sigma;
                sigma = hi == Double.POSITIVE_INFINITY ? sigma * 2 : (lo + hi) / 2;
            }
        }
        if (rho > 0) {
            sigma = Math.max(sigma, 1e-3 * mean);
        }
        double[] w = new double[k];
        for (int j = 0; j < k; j++) {
            double excess = d[j] - rho;
            w[j] = excess <= 0 || sigma == 0 ? 1 : Math.exp(-excess / sigma);
        }
        return w;
    }

    /** The start positions as a flat float array, each axis scaled to [0, 10], with a touch of noise. */
    static float[] initial(double[][] start) {
        int n = start.length;
        float[] xy = new float[2 * n];
        SplittableRandom random = new SplittableRandom(n);
        for (int axis = 0; axis < 2; axis++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] p : start) {
                min = Math.min(min, p[axis]);
                max = Math.max(max, p[axis]);
            }
            double scale = max > min ? 10 / (max - min) : 0;
            for (int i = 0; i < n; i++) {
                // the noise keeps exact duplicates from sitting on one spot (no gradient between them)
                xy[2 * i + axis] = (float) ((start[i][axis] - min) * scale + 1e-4 * gaussian(random));
            }
        }
        return xy;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** umap-learn's {@code optimize_layout_euclidean}, edges split in contiguous blocks, one per thread. */
    static void optimize(float[] xy, int n, Graph graph, int epochs, Curve curve, long seed, int threads) {
        int m = graph.head().length;
        if (m == 0) {
            return;
        }
        double max = 0;
        for (double w : graph.weight()) {
            max = Math.max(max, w);
        }
        float[] perSample = new float[m];
        float[] nextSample = new float[m];
        float[] perNegative = new float[m];
        float[] nextNegative = new float[m];
        for (int e = 0; e < m; e++) {
            perSample[e] = (float) (max / graph.weight()[e]);
            nextSample[e] = perSample[e];
            perNegative[e] = perSample[e] / NEGATIVE_SAMPLE_RATE;
            nextNegative[e] = perNegative[e];
        }
        int blocks = m < PARALLEL_EDGES ? 1 : threads;
        long[] state = new long[blocks];
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int t = 0; t < blocks; t++) {
            state[t] = seeds.nextLong() | 1L;
        }
        float a = (float) curve.a();
        float b = (float) curve.b();
        int[] head = graph.head();
        int[] tail = graph.tail();
        for (int epoch = 0; epoch < epochs; epoch++) {
            float alpha = (float) (1.0 - (double) epoch / epochs);
            int current = epoch;
            IntStream blockStream = IntStream.range(0, blocks);
            if (blocks > 1) {
                blockStream = blockStream.parallel();
            }
            blockStream.forEach(t -> {
                int from = (int) ((long) m * t / blocks);
                int to = (int) ((long) m * (t + 1) / blocks);
                state[t] = epoch(xy, n, head, tail, from, to, current, alpha, a, b, perSample, nextSample,
                        perNegative, nextNegative, state[t]);
            });
        }
    }

    /** One epoch over edges [from, to); returns the advanced random state. */
    private static long epoch(float[] xy, int n, int[] head, int[] tail, int from, int to, int epoch, float alpha,
                              float a, float b, float[] perSample, float[] nextSample, float[] perNegative,
                              float[] nextNegative, long random) {
        float clip = (float) CLIP;
        float twoGammaB = (float) (2 * GAMMA * b);
        float minusTwoAB = -2 * a * b;
        for (int e = from; e < to; e++) {
            if (nextSample[e] > epoch) {
                continue;
            }
            int j = head[e];
            int k = tail[e];
            float jx = xy[2 * j];
            float jy = xy[2 * j + 1];
            float dx = jx - xy[2 * k];
            float dy = jy - xy[2 * k + 1];
            float d2 = dx * dx + dy * dy;
            if (d2 > 0) {
                float powB = pow(d2, b);
                float coefficient = minusTwoAB * powB / d2 / (a * powB + 1);
                float gx = clamp(coefficient * dx, clip) * alpha;
                float gy = clamp(coefficient * dy, clip) * alpha;
                jx += gx;
                jy += gy;
                xy[2 * k] -= gx;
                xy[2 * k + 1] -= gy;
            }
            nextSample[e] += perSample[e];
            int negatives = (int) ((epoch - nextNegative[e]) / perNegative[e]);
            for (int p = 0; p < negatives; p++) {
                random ^= random << 13;
                random ^= random >>> 7;
                random ^= random << 17;
                int other = (int) ((random >>> 1) % n);
                if (other == j) {
                    continue;
                }
                float ox = jx - xy[2 * other];
                float oy = jy - xy[2 * other + 1];
                float o2 = ox * ox + oy * oy;
                if (o2 > 0) {
                    float coefficient = twoGammaB / ((0.001f + o2) * (a * pow(o2, b) + 1));
                    jx += clamp(coefficient * ox, clip) * alpha;
                    jy += clamp(coefficient * oy, clip) * alpha;
                } else {
                    jx += clip * alpha;
                    jy += clip * alpha;
                }
            }
            nextNegative[e] += negatives * perNegative[e];
            xy[2 * j] = jx;
            xy[2 * j + 1] = jy;
        }
        return random;
    }

    /**
     * x^y for x > 0 as 2^(y log2 x), both by a short series on the float's mantissa: relative error below 1e-5, a
     * few times faster than {@link Math#pow}, which would otherwise be most of the descent's time.
     */
    static float pow(float x, float y) {
        if (!(x >= 1e-30f && x <= 1e30f)) {
            return (float) Math.pow(x, y);
        }
        int bits = Float.floatToRawIntBits(x);
        int exponent = (bits >>> 23) - 127;
        float mantissa = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f800000);
        if (mantissa > 1.41421356f) {
            // keeps the series argument in [-1/5.8, 1/5.8]
            mantissa *= 0.5f;
            exponent++;
        }
        float t = (mantissa - 1) / (mantissa + 1);
        float t2 = t * t;
        // ln(m) = 2 (t + t^3/3 + t^5/5 + t^7/7 + ...), in log2 units
        float log2 = exponent + t * (2.8853900f + t2 * (0.9617967f + t2 * (0.5770780f + t2 * 0.4121985f)));
        float power = y * log2;
        if (!(power > -125 && power < 126)) {
            return (float) Math.pow(x, y);
        }
        float whole = (float) Math.floor(power);
        float f = (power - whole) * 0.6931472f;
        // e^f on [0, ln 2)
        float e = 1 + f * (1 + f * (0.5f + f * (1 / 6f + f * (1 / 24f + f * (1 / 120f + f * (1 / 720f + f * (1 / 5040f)))))));
        return Float.intBitsToFloat(((int) whole + 127) << 23) * e;
    }

    private static float clamp(float value, float limit) {
        return value > limit ? limit : Math.max(value, -limit);
    }
}
