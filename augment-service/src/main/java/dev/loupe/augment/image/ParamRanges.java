package dev.loupe.augment.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Ranges in operation parameters, so the copies of one image differ: {@code {"op":"rotate","params":{"degrees":[-8, 8]}}}
 * draws the angle uniformly per copy. A range is a two-number list {@code [low, high]}; whole-number parameters
 * (pixel positions and sizes) draw whole numbers. {@link #sample} turns a chain with ranges into a concrete chain,
 * which is what provenance records, so every image is reproducible from its own record.
 */
public final class ParamRanges {

    /** Parameters that are pixel counts: drawn as whole numbers. */
    private static final Set<String> WHOLE = Set.of("x", "y", "width", "height");

    /** Interior points checked (besides both ends) when a caller needs a property to hold over a whole range. */
    public static final int CHECK_POINTS = 31;

    private ParamRanges() {
    }

    /** True when some parameter of the chain is a range. */
    public static boolean hasRanges(List<?> opMaps) {
        return !concrete(opMaps, (lo, hi, whole) -> lo).equals(opMaps);
    }

    /** The chain with every range replaced by a value drawn from {@code random}. */
    public static List<Map<String, Object>> sample(List<?> opMaps, RandomGenerator random) {
        return concrete(opMaps, (lo, hi, whole) -> {
            if (lo == hi) return lo;
            return whole ? random.nextLong((long) lo, (long) hi + 1) : random.nextDouble(lo, hi);
        });
    }

    /**
     * The chain with every range at the same relative position {@code t} in [0, 1] (0 = all lows, 1 = all highs), for
     * checks over a range: validity of the parameters, the label policy, image bounds.
     */
    public static List<Map<String, Object>> at(List<?> opMaps, double t) {
        return concrete(opMaps, (lo, hi, whole) -> whole ? Math.round(lo + t * (hi - lo)) : lo + t * (hi - lo));
    }

    /** The positions {@link #at} is evaluated at to check a property over the ranges: both ends and evenly between. */
    public static double[] checkPositions(List<?> opMaps) {
        if (!hasRanges(opMaps)) return new double[]{0};
        double[] t = new double[CHECK_POINTS + 2];
        for (int i = 0; i < t.length; i++) t[i] = (double) i / (t.length - 1);
        return t;
    }

    @FunctionalInterface
    private interface Pick {
        double pick(double low, double high, boolean whole);
    }

    private static List<Map<String, Object>> concrete(List<?> opMaps, Pick pick) {
        if (opMaps == null) throw new InvalidOperationException("ops", "is required");
        List<Map<String, Object>> out = new ArrayList<>(opMaps.size());
        for (int i = 0; i < opMaps.size(); i++) {
            Object item = opMaps.get(i);
            if (!(item instanceof Map<?, ?> op)) {
                throw new InvalidOperationException("ops[" + i + "]", "must be an object, was " + Params.describe(item));
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            op.forEach((k, v) -> copy.put(String.valueOf(k), v));
            if (op.get("params") instanceof Map<?, ?> params) {
                Map<String, Object> drawn = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : params.entrySet()) {
                    String name = String.valueOf(e.getKey());
                    drawn.put(name, e.getValue() instanceof List<?> range && isRange(range)
                            ? value(range, name, "ops[" + i + "]." + name, pick) : e.getValue());
                }
                copy.put("params", drawn);
            }
            out.add(copy);
        }
        return out;
    }

    /** Two numbers: a range. Other lists (an erase's rects) are parameters in their own right. */
    private static boolean isRange(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(v -> v instanceof Number);
    }

    private static Object value(List<?> range, String name, String field, Pick pick) {
        if (range.size() != 2) throw new InvalidOperationException(field, "a range is [low, high], was " + range);
        double lo = ((Number) range.get(0)).doubleValue();
        double hi = ((Number) range.get(1)).doubleValue();
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new InvalidOperationException(field, "a range needs finite low <= high, was " + range);
        }
        boolean whole = WHOLE.contains(name);
        if (whole && (lo != Math.rint(lo) || hi != Math.rint(hi))) {
            throw new InvalidOperationException(field, "a range of pixels needs whole numbers, was " + range);
        }
        double v = pick.pick(lo, hi, whole);
        return whole ? (Object) (int) v : (Object) v;
    }
}
