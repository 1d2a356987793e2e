package dev.loupe.dataset.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One seed's results of a completed evaluation, as the trainer reports them ({@code metrics.seedResults[]}, or the
 * metrics themselves for a run of one seed that names its {@code seed}).
 *
 * @param confusion classes x classes counts on val, rows true, columns predicted (null when not reported)
 */
public record SeedResult(long seed, double valAccuracy, Double testAccuracy, List<String> classes,
                         Map<String, Double> perClass, List<List<Integer>> confusion, Map<String, Double> testPerClass,
                         List<List<Integer>> testConfusion) {

    /** The seeds' results in the metrics of a COMPLETED state; empty when they do not name a seed. */
    @SuppressWarnings("unchecked")
    public static List<SeedResult> fromMetrics(Map<String, Object> metrics) {
        if (metrics == null) {
            return List.of();
        }
        List<SeedResult> out = new ArrayList<>();
        Object list = metrics.get("seedResults");
        List<String> classes = strings(metrics.get("classes"));
        if (list instanceof List<?> seeds && !seeds.isEmpty()) {
            for (Object s : seeds) {
                if (s instanceof Map<?, ?> m) {
                    one((Map<String, Object>) m, classes).ifPresent(out::add);
                }
            }
        } else {
            one(metrics, classes).ifPresent(out::add);
        }
        return out;
    }

    private static java.util.Optional<SeedResult> one(Map<String, Object> m, List<String> classes) {
        if (!(m.get("seed") instanceof Number seed) || !(m.get("valAccuracy") instanceof Number val)) {
            return java.util.Optional.empty();
        }
        Double test = m.get("testAccuracy") instanceof Number t ? t.doubleValue() : null;
        List<String> own = m.containsKey("classes") ? strings(m.get("classes")) : classes;
        return java.util.Optional.of(new SeedResult(seed.longValue(), val.doubleValue(), test, own,
                doubles(m.get("perClass")), matrix(m.get("confusion")), doubles(m.get("testPerClass")),
                matrix(m.get("testConfusion"))));
    }

    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : null;
    }

    private static Map<String, Double> doubles(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Number n ? n.doubleValue() : null));
        return out;
    }

    private static List<List<Integer>> matrix(Object o) {
        if (!(o instanceof List<?> rows)) {
            return null;
        }
        List<List<Integer>> out = new ArrayList<>();
        for (Object r : rows) {
            if (!(r instanceof List<?> row)) {
                return null;
            }
            out.add(row.stream().map(v -> v instanceof Number n ? n.intValue() : 0).toList());
        }
        return out;
    }

    /**
     * Mean and spread over the seeds: {@code {n, seeds, valAccuracy: {mean, sd}, testAccuracy: {mean, sd} | null,
     * perClass: {class: {mean, sd}}, testPerClass, confusion, testConfusion}} with the confusion matrices summed over
     * the seeds (counts); sd is the sample standard deviation, null for one seed.
     */
    public static Map<String, Object> summary(List<SeedResult> seeds) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n", seeds.size());
        s.put("seeds", seeds.stream().map(SeedResult::seed).toList());
        s.put("valAccuracy", meanSd(seeds.stream().map(SeedResult::valAccuracy).toList()));
        boolean test = !seeds.isEmpty() && seeds.stream().allMatch(r -> r.testAccuracy() != null);
        s.put("testAccuracy", test ? meanSd(seeds.stream().map(SeedResult::testAccuracy).toList()) : null);
        s.put("perClass", perClass(seeds.stream().map(SeedResult::perClass).toList()));
        s.put("testPerClass", test ? perClass(seeds.stream().map(SeedResult::testPerClass).toList()) : null);
        s.put("confusion", sum(seeds.stream().map(SeedResult::confusion).toList()));
        s.put("testConfusion", test ? sum(seeds.stream().map(SeedResult::testConfusion).toList()) : null);
        return s;
    }

    static Map<String, Object> meanSd(List<Double> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", SeedStats.mean(values));
        m.put("sd", SeedStats.sd(values));
        return m;
    }

    private static Map<String, Object> perClass(List<Map<String, Double>> all) {
        if (all.isEmpty() || all.stream().anyMatch(m -> m == null)) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String c : all.get(0).keySet()) {
            List<Double> values = all.stream().map(m -> m.get(c)).filter(v -> v != null).toList();
            out.put(c, values.isEmpty() ? null : meanSd(values));
        }
        return out;
    }

    private static List<List<Integer>> sum(List<List<List<Integer>>> all) {
        if (all.isEmpty() || all.stream().anyMatch(m -> m == null)) {
            return null;
        }
        int rows = all.get(0).size();
        int[][] total = new int[rows][rows];
        for (List<List<Integer>> m : all) {
            if (m.size() != rows) {
                return null;
            }
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < Math.min(rows, m.get(r).size()); c++) {
                    total[r][c] += m.get(r).get(c);
                }
            }
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int[] row : total) {
            out.add(java.util.Arrays.stream(row).boxed().toList());
        }
        return out;
    }
}
