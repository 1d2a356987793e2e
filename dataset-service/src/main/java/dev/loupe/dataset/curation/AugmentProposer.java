package dev.loupe.dataset.curation;

import dev.loupe.augment.api.AugmentApi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AUGMENT and COMPOSE: the budget left after the actions before is spent on training copies where the model is
 * weakest. Per class the share is proportional to (1 - its validation accuracy) in the latest evaluation; without one
 * (or when every class scores 1) the shares fill the smallest classes up to a common level (water-filling on the
 * training counts). A class whose suggestion is a recipe gets half its share composed from the glyph library; the
 * rest are ranged copies of its training originals with the operations the augment service's ready body for the
 * class uses (the policy keeps the label), else rotate +-8 and zoom 0.9-1.1 (the job is checked against the policy
 * when it starts).
 */
public final class AugmentProposer implements ActionProposer {

    @Override
    public List<CurationAction> propose(PlanInputs in, Budget budget) {
        int left = budget.remaining();
        // copies are made of training originals no earlier action claimed (an excluded or relabelled item)
        Map<String, List<java.util.UUID>> pools = new LinkedHashMap<>();
        for (String c : in.classes()) {
            List<java.util.UUID> pool = in.trainOriginals().getOrDefault(c, List.of()).stream()
                    .filter(id -> !budget.claimed(id)).toList();
            if (!pool.isEmpty()) {
                pools.put(c, pool);
            }
        }
        List<String> classes = List.copyOf(pools.keySet());
        if (left == 0 || classes.isEmpty()) {
            return List.of();
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        boolean byAccuracy = in.accuracy() != null;
        if (byAccuracy) {
            classes.forEach(c -> weights.put(c, Math.max(0, 1 - in.accuracy().getOrDefault(c, 0.0))));
            byAccuracy = weights.values().stream().anyMatch(w -> w > 0);
        }
        if (!byAccuracy) {
            weights.clear();
            weights.putAll(waterFill(left, classes, in.trainCounts()));
        }
        Map<String, Integer> capacity = new LinkedHashMap<>();
        for (String c : classes) {
            int copies = pools.get(c).size() * in.settings().maxCopiesPerItem();
            capacity.put(c, recipeOffered(in.suggestions(), c) ? 2 * copies : copies);
        }
        Map<String, Integer> shares = capped(left, weights, capacity);
        List<CurationAction> actions = new ArrayList<>();
        for (String c : classes.stream().sorted(Comparator.comparing((String c) -> -shares.get(c)).thenComparing(c -> c)).toList()) {
            int share = shares.get(c);
            if (share == 0) {
                continue;
            }
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("basis", byAccuracy ? "per-class accuracy (1 - accuracy)" : "class counts (filling the smallest classes)");
            if (byAccuracy) {
                evidence.put("accuracy", in.accuracy().get(c));
            }
            evidence.put("weight", weights.get(c));
            evidence.put("share", share);
            if (share == capacity.get(c)) {
                evidence.put("cappedAt", share + " (" + in.settings().maxCopiesPerItem() + " copies per training original)");
            }
            evidence.put("budgetLeft", left);
            evidence.put("trainItems", in.trainCounts().getOrDefault(c, 0));
            evidence.put("trainOriginals", pools.get(c).size());
            List<PlanInputs.Confusion> confused = in.confusions().stream()
                    .filter(x -> x.actual().equals(c) || x.predicted().equals(c)).limit(3).toList();
            if (!confused.isEmpty()) {
                evidence.put("confusions", confused);
            }
            String why = byAccuracy ? "validation accuracy " + round(in.accuracy().get(c)) + " in the latest evaluation"
                    : in.trainCounts().getOrDefault(c, 0) + " training items";
            int composed = 0;
            if (recipeOffered(in.suggestions(), c)) {
                composed = share / 2;
                budget.add(composed);
                Map<String, Object> composeEvidence = new LinkedHashMap<>(evidence);
                composeEvidence.put("composed", composed);
                actions.add(CurationAction.of(ActionKind.COMPOSE, true, null, c, composed,
                        Requests.recipe(c, composed, in.settings().seed()), composeEvidence, "\"" + c + "\": " + why
                                + "; the glyph library spells it: compose " + composed + " of its " + share + " new images"));
            }
            List<java.util.UUID> pool = pools.get(c);
            int wanted = share - composed;
            int copies = Math.min(in.settings().maxCopiesPerItem(), (wanted + pool.size() - 1) / pool.size());
            int items = copies == 0 ? 0 : Math.min(pool.size(), wanted / copies);
            int count = copies * items;
            if (count == 0) {
                continue;
            }
            budget.add(count);
            Object ops = opsFor(in.suggestions(), c);
            evidence.put("copiesPerItem", copies);
            evidence.put("opsFrom", ops == null ? "default (no augment suggestion for this class)" : "the augment service's suggestion");
            actions.add(CurationAction.of(ActionKind.AUGMENT, true, null, c, count,
                    Requests.augmentation(pool.subList(0, items), ops == null ? Requests.DEFAULT_OPS : ops, copies,
                            in.settings().seed()), evidence, "\"" + c + "\": " + why + ": " + copies
                            + " ranged copies of each of " + items + " training originals"));
        }
        return actions;
    }

    private static boolean recipeOffered(AugmentApi.Suggestions s, String label) {
        return s != null && s.suggestions() != null && s.suggestions().stream()
                .anyMatch(x -> "recipe".equals(x.kind()) && label.equals(x.label()));
    }

    /** The operations of the augment service's class-wide suggestion for the label, or null. */
    private static Object opsFor(AugmentApi.Suggestions s, String label) {
        if (s == null || s.suggestions() == null) {
            return null;
        }
        return s.suggestions().stream().filter(x -> "augment".equals(x.kind()) && label.equals(x.label())
                        && x.request() != null && x.request().get("ops") != null)
                .sorted(Comparator.comparing(x -> Requests.itemIds(x.request()) == null ? 0 : 1))
                .map(x -> x.request().get("ops")).findFirst().orElse(null);
    }

    /**
     * Weights that bring every class to one level: level L with sum over classes of max(0, L - count) = total; each
     * class's weight is max(0, L - count).
     */
    static Map<String, Double> waterFill(int total, List<String> classes, Map<String, Integer> counts) {
        List<String> sorted = classes.stream().sorted(Comparator.comparingInt((String c) -> counts.getOrDefault(c, 0))
                .thenComparing(c -> c)).toList();
        double level = 0;
        long sum = 0;
        for (int k = 1; k <= sorted.size(); k++) {
            sum += counts.getOrDefault(sorted.get(k - 1), 0);
            level = (double) (total + sum) / k;
            if (k == sorted.size() || level <= counts.getOrDefault(sorted.get(k), 0)) {
                break;
            }
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String c : classes) {
            weights.put(c, Math.max(0, level - counts.getOrDefault(c, 0)));
        }
        return weights;
    }

    /**
     * Splits {@code total} by weight, no class above its capacity: what a full class cannot take goes to the others by
     * their weights, until all is given or every class with weight is full.
     */
    static Map<String, Integer> capped(int total, Map<String, Double> weights, Map<String, Integer> capacity) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        weights.keySet().forEach(c -> shares.put(c, 0));
        int left = total;
        while (left > 0) {
            Map<String, Double> open = new LinkedHashMap<>();
            weights.forEach((c, w) -> {
                if (w > 0 && shares.get(c) < capacity.get(c)) {
                    open.put(c, w);
                }
            });
            if (open.isEmpty()) {
                break;
            }
            int given = 0;
            for (Map.Entry<String, Integer> e : largestRemainder(left, open).entrySet()) {
                int take = Math.min(e.getValue(), capacity.get(e.getKey()) - shares.get(e.getKey()));
                shares.merge(e.getKey(), take, Integer::sum);
                given += take;
            }
            left -= given;
        }
        return shares;
    }

    /** Splits {@code total} in proportion to the weights; the largest remainders get the rounding (ties by name). */
    static Map<String, Integer> largestRemainder(int total, Map<String, Double> weights) {
        double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Integer> shares = new LinkedHashMap<>();
        if (sum <= 0) {
            weights.keySet().forEach(c -> shares.put(c, 0));
            return shares;
        }
        Map<String, Double> remainders = new LinkedHashMap<>();
        int given = 0;
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            double exact = total * e.getValue() / sum;
            int floor = (int) Math.floor(exact);
            shares.put(e.getKey(), floor);
            remainders.put(e.getKey(), exact - floor);
            given += floor;
        }
        List<String> order = remainders.entrySet().stream().filter(e -> weights.get(e.getKey()) > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        for (int i = 0; given < total && !order.isEmpty(); i++, given++) {
            shares.merge(order.get(i % order.size()), 1, Integer::sum);
        }
        return shares;
    }

    private static double round(Double v) {
        return v == null ? 0 : Math.round(v * 1000) / 1000.0;
    }
}
