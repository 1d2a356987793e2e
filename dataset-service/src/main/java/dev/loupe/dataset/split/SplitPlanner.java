package dev.loupe.dataset.split;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Assigns a project's items to train and val. Pure and deterministic: the same items, configuration and previous
 * sides give the same plan.
 *
 * <ul>
 *   <li><b>Groups.</b> Items with the same image bytes (sha256) or linked as near duplicates form one group, and a
 *   group always lands on one side, so no image leaks from train into val.</li>
 *   <li><b>Targets.</b> round(valFraction x all items) go to val, shared among classes and then among a class's
 *   styles by largest remainder: the overall share is exact and every class within one item of its share.</li>
 *   <li><b>Strata.</b> stratified: the class; style-balanced: the class and the style cluster within it;
 *   keep-original: the class, with every group whose items were imported as train or val pinned there.</li>
 *   <li><b>Stability.</b> A group keeps its previous side unless its stratum is off target; then the fewest groups
 *   that bring it back are moved. New groups fill whichever side is short. So one label change moves the item
 *   itself between strata and at most a group or two to rebalance them.</li>
 *   <li><b>Order.</b> Where a choice is free (which new group goes to val, which group moves), groups go by a hash of
 *   (seed, group key): reproducible, and a different seed gives a different but equally balanced split.</li>
 *   <li><b>Derived images.</b> An augmented or composed item trains only: it is grouped with the items it was made
 *   from, and that group is pinned to train, so val stays real images and no copy of a val image trains. Targets count
 *   original images only, so augmenting a class does not pull more of its originals into val.</li>
 *   <li><b>maxItems.</b> Above it, each stratum keeps its proportional share (largest remainder), previously
 *   included groups first; the rest is left out.</li>
 *   <li><b>Frozen validation side.</b> With {@link Config#frozenVal()} set, val is exactly those items (the ones still
 *   present), whatever the strategy and fraction, and everything else trains, except the other members of a frozen
 *   item's group (same bytes, near duplicates, copies made from it): they are left out, so nothing like a validation
 *   image trains and no new image joins val. Scores of versions frozen at the same items are measured on one set.</li>
 * </ul>
 */
public final class SplitPlanner {

    public enum Side {
        TRAIN, VAL, OUT;

        public String wire() {
            return name().toLowerCase();
        }
    }

    public enum Strategy {
        STRATIFIED("stratified"), STYLE_BALANCED("style-balanced"), KEEP_ORIGINAL("keep-original");

        private final String wire;

        Strategy(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static java.util.Optional<Strategy> fromWire(String name) {
            for (Strategy s : values()) {
                if (s.wire.equals(name)) {
                    return java.util.Optional.of(s);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /**
     * @param maxItems  null for no cap
     * @param frozenVal null, or the item ids that make up the validation side (a frozen version's val items)
     */
    public record Config(Strategy strategy, double valFraction, long seed, Integer maxItems, Set<UUID> frozenVal) {

        public Config(Strategy strategy, double valFraction, long seed, Integer maxItems) {
            this(strategy, valFraction, seed, maxItems, null);
        }

        public Config {
            frozenVal = frozenVal == null ? null : Set.copyOf(frozenVal);
            Objects.requireNonNull(strategy, "strategy");
            if (!(valFraction > 0 && valFraction < 1)) {
                throw new IllegalArgumentException("valFraction must be in (0, 1): " + valFraction);
            }
            if (maxItems != null && maxItems < 1) {
                throw new IllegalArgumentException("maxItems must be at least 1: " + maxItems);
            }
        }
    }

    /**
     * One included (not excluded) item. {@code cluster} is its style cluster within its class, or -1 if unknown.
     * {@code parents} is empty for an original image; for an augmented or composed one, the items it was made from.
     */
    public record Item(UUID id, String label, String sha256, String originalSplit, int cluster, List<UUID> parents) {

        public Item {
            parents = parents == null ? List.of() : List.copyOf(parents);
        }

        public Item(UUID id, String label, String sha256, String originalSplit, int cluster) {
            this(id, label, sha256, originalSplit, cluster, List.of());
        }

        /** Made from other items (augmented or synthetic), not an original image. */
        public boolean derived() {
            return !parents.isEmpty();
        }
    }

    /** Why an item is left out of the split. */
    public static final String OVER_MAX_ITEMS = "over maxItems";
    public static final String NEAR_FROZEN_VAL = "near-duplicate of a frozen validation item";

    /**
     * @param moved         items whose side differs from their previous one
     * @param newlyAssigned items without a previous side that are now in train or val
     * @param reasons       why each item on {@link Side#OUT} is left out
     */
    public record Plan(Map<UUID, Side> sides, List<UUID> moved, int newlyAssigned, Map<UUID, String> reasons) {

        /** reason -> items left out for it. */
        public Map<String, Integer> leftOut() {
            Map<String, Integer> counts = new TreeMap<>();
            reasons.values().forEach(r -> counts.merge(r, 1, Integer::sum));
            return counts;
        }

        /** side ("train", "val") -> class -> items. */
        public Map<String, Map<String, Integer>> counts(Map<UUID, String> labels) {
            Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
            counts.put("train", new TreeMap<>());
            counts.put("val", new TreeMap<>());
            sides.forEach((id, side) -> {
                if (side != Side.OUT) {
                    counts.get(side.wire()).merge(labels.get(id), 1, Integer::sum);
                }
            });
            return counts;
        }
    }

    /** Between class and cluster in a style stratum's key; never part of a label. */
    private static final String STYLE_SEPARATOR = "\u0000";

    private SplitPlanner() {
    }

    public static Plan plan(List<Item> items, Collection<UUID[]> nearDuplicates, Config config, Map<UUID, Side> previous) {
        List<Group> groups = groups(items, nearDuplicates, config);
        Map<String, List<Group>> strata = new TreeMap<>();
        for (Group g : groups) {
            g.previous = previousSide(g, previous);
            strata.computeIfAbsent(g.stratum, s -> new ArrayList<>()).add(g);
        }
        if (config.frozenVal() != null) {
            return frozen(groups, config, previous);
        }
        if (config.maxItems() != null && items.size() > config.maxItems()) {
            cap(strata, items.size(), config.maxItems());
        }
        Map<String, Long> targets = targets(strata, config.valFraction());
        strata.forEach((key, stratum) -> balance(stratum, targets.get(key)));
        return result(groups, previous, Map.of());
    }

    /**
     * The frozen validation side: its items on val, the rest of their groups left out, every other group on train
     * (under maxItems, what val leaves of the cap, each stratum its proportional share).
     */
    private static Plan frozen(List<Group> groups, Config config, Map<UUID, Side> previous) {
        Map<UUID, String> reasons = new HashMap<>();
        int val = 0;
        Map<String, List<Group>> training = new TreeMap<>();
        for (Group g : groups) {
            if (g.members.stream().anyMatch(m -> config.frozenVal().contains(m.id()))) {
                g.side = Side.VAL;
                for (Item m : g.members) {
                    if (config.frozenVal().contains(m.id())) {
                        val++;
                    } else {
                        reasons.put(m.id(), NEAR_FROZEN_VAL);
                    }
                }
            } else {
                g.side = Side.TRAIN;
                training.computeIfAbsent(g.stratum, s -> new ArrayList<>()).add(g);
            }
        }
        int trainable = training.values().stream().flatMap(List::stream).mapToInt(Group::size).sum();
        if (config.maxItems() != null && val + trainable > config.maxItems()) {
            cap(training, trainable, Math.max(0, config.maxItems() - val));
        }
        Map<UUID, Side> sides = new LinkedHashMap<>();
        for (Group g : groups) {
            for (Item m : g.members) {
                sides.put(m.id(), g.side == Side.VAL && !config.frozenVal().contains(m.id()) ? Side.OUT : g.side);
            }
        }
        return result(groups, sides, previous, reasons);
    }

    /** The plan from the groups' sides; every member on its group's side. */
    private static Plan result(List<Group> groups, Map<UUID, Side> previous, Map<UUID, String> reasons) {
        Map<UUID, Side> sides = new LinkedHashMap<>();
        for (Group g : groups) {
            for (Item item : g.members) {
                sides.put(item.id(), g.side);
            }
        }
        return result(groups, sides, previous, reasons);
    }

    private static Plan result(List<Group> groups, Map<UUID, Side> sides, Map<UUID, Side> previous, Map<UUID, String> reasons) {
        Map<UUID, String> why = new HashMap<>(reasons);
        sides.forEach((id, side) -> {
            if (side == Side.OUT) {
                why.putIfAbsent(id, OVER_MAX_ITEMS);
            }
        });
        List<UUID> moved = new ArrayList<>();
        int newlyAssigned = 0;
        for (Group g : groups) {
            for (Item item : g.members) {
                Side side = sides.get(item.id());
                Side before = previous.get(item.id());
                if (before == null) {
                    newlyAssigned += side == Side.OUT ? 0 : 1;
                } else if (before != side) {
                    moved.add(item.id());
                }
            }
        }
        moved.sort(Comparator.naturalOrder());
        return new Plan(sides, moved, newlyAssigned, why);
    }

    private static final class Group {
        final List<Item> members = new ArrayList<>();
        String key;
        String stratum;
        long priority;
        /** keep-original: the side the import gave it, else null */
        Side pinned;
        Side previous;
        Side side;

        int size() {
            return members.size();
        }

        /** Original images only: what val targets are shares of. */
        int originals() {
            return (int) members.stream().filter(m -> !m.derived()).count();
        }
    }

    private static List<Group> groups(List<Item> items, Collection<UUID[]> nearDuplicates, Config config) {
        Map<UUID, Integer> index = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            index.put(items.get(i).id(), i);
        }
        int[] parent = new int[items.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        Map<String, Integer> firstWithHash = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Integer first = firstWithHash.putIfAbsent(items.get(i).sha256(), i);
            if (first != null) {
                union(parent, first, i);
            }
        }
        for (int i = 0; i < items.size(); i++) {
            for (UUID p : items.get(i).parents()) {
                Integer from = index.get(p);
                if (from != null) {
                    union(parent, from, i);
                }
            }
        }
        for (UUID[] pair : nearDuplicates) {
            Integer a = index.get(pair[0]);
            Integer b = index.get(pair[1]);
            if (a != null && b != null) {
                union(parent, a, b);
            }
        }
        Map<Integer, Group> byRoot = new TreeMap<>();
        for (int i = 0; i < items.size(); i++) {
            byRoot.computeIfAbsent(find(parent, i), r -> new Group()).members.add(items.get(i));
        }
        List<Group> groups = new ArrayList<>(byRoot.values());
        for (Group g : groups) {
            g.members.sort(Comparator.comparing(Item::id));
            g.key = g.members.getFirst().id().toString();
            String label = majority(g.members.stream().map(Item::label).toList());
            g.stratum = config.strategy() == Strategy.STYLE_BALANCED
                    ? label + STYLE_SEPARATOR + majority(g.members.stream().filter(m -> m.label().equals(label))
                    .map(m -> String.valueOf(m.cluster())).toList())
                    : label;
            g.priority = mix(config.seed(), g.members.getFirst().id());
            if (g.members.stream().anyMatch(Item::derived)) {
                g.pinned = Side.TRAIN;
            } else if (config.strategy() == Strategy.KEEP_ORIGINAL) {
                String original = majority(g.members.stream().map(Item::originalSplit)
                        .filter(s -> "train".equals(s) || "val".equals(s)).toList());
                g.pinned = original == null ? null : original.equals("val") ? Side.VAL : Side.TRAIN;
            }
        }
        groups.sort(Comparator.comparing(g -> g.key));
        return groups;
    }

    /** The most frequent value; ties go to the smallest; null for none. */
    private static String majority(List<String> values) {
        Map<String, Integer> counts = new TreeMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        String best = null;
        int most = 0;
        for (var e : counts.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    private static Side previousSide(Group g, Map<UUID, Side> previous) {
        List<String> sides = new ArrayList<>();
        for (Item item : g.members) {
            Side s = previous.get(item.id());
            if (s != null) {
                sides.add(s.name());
            }
        }
        String m = majority(sides);
        return m == null ? null : Side.valueOf(m);
    }

    /** Keeps maxItems items in all, each stratum its proportional share; previously included groups first. */
    private static void cap(Map<String, List<Group>> strata, int total, int maxItems) {
        Map<String, Integer> quota = new HashMap<>();
        List<Map.Entry<String, Double>> remainders = new ArrayList<>();
        int given = 0;
        for (var e : strata.entrySet()) {
            int size = e.getValue().stream().mapToInt(Group::size).sum();
            double exact = (double) size * maxItems / total;
            quota.put(e.getKey(), (int) Math.floor(exact));
            given += (int) Math.floor(exact);
            remainders.add(Map.entry(e.getKey(), exact - Math.floor(exact)));
        }
        remainders.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < maxItems - given && i < remainders.size(); i++) {
            quota.merge(remainders.get(i).getKey(), 1, Integer::sum);
        }
        for (var e : strata.entrySet()) {
            List<Group> order = new ArrayList<>(e.getValue());
            order.sort(Comparator.<Group>comparingInt(g -> g.previous == null || g.previous == Side.OUT ? 1 : 0)
                    .thenComparingLong(g -> g.priority).thenComparing(g -> g.key));
            int room = quota.get(e.getKey());
            List<Group> kept = new ArrayList<>();
            for (Group g : order) {
                if (g.size() <= room) {
                    kept.add(g);
                    room -= g.size();
                } else {
                    g.side = Side.OUT;
                }
            }
            e.setValue(kept);
        }
    }

    /**
     * Val items per stratum, apportioned top down by largest remainder: the whole split gets round(valFraction x
     * size); classes share that in proportion to their sizes; within a class its style strata share the class's
     * part. So the overall share is exact, each class is within one item of its exact share, and many small classes
     * or styles do not add up rounding errors.
     */
    private static Map<String, Long> targets(Map<String, List<Group>> strata, double valFraction) {
        Map<String, List<String>> byClass = new TreeMap<>();
        Map<String, Double> stratumSize = new TreeMap<>();
        strata.forEach((key, groups) -> {
            byClass.computeIfAbsent(className(key), c -> new ArrayList<>()).add(key);
            stratumSize.put(key, (double) groups.stream().mapToInt(Group::originals).sum());
        });
        Map<String, Double> classSize = new TreeMap<>();
        byClass.forEach((cls, keys) -> classSize.put(cls, keys.stream().mapToDouble(stratumSize::get).sum()));
        long total = Math.round(valFraction * classSize.values().stream().mapToDouble(Double::doubleValue).sum());
        Map<String, Long> classTargets = apportion(classSize, total);
        Map<String, Long> targets = new HashMap<>();
        byClass.forEach((cls, keys) -> {
            Map<String, Double> sizes = new TreeMap<>();
            keys.forEach(k -> sizes.put(k, stratumSize.get(k)));
            targets.putAll(apportion(sizes, classTargets.get(cls)));
        });
        return targets;
    }

    /** Splits {@code total} in proportion to {@code weights}: floors, then the largest remainders (ties by key). */
    static Map<String, Long> apportion(Map<String, Double> weights, long total) {
        double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Long> shares = new HashMap<>();
        List<Map.Entry<String, Double>> remainders = new ArrayList<>();
        long given = 0;
        for (var e : weights.entrySet()) {
            double exact = sum == 0 ? 0 : total * e.getValue() / sum;
            long floor = (long) Math.floor(exact + 1e-9);
            shares.put(e.getKey(), floor);
            given += floor;
            remainders.add(Map.entry(e.getKey(), exact - floor));
        }
        remainders.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < total - given && i < remainders.size(); i++) {
            shares.merge(remainders.get(i).getKey(), 1L, Long::sum);
        }
        return shares;
    }

    private static String className(String stratum) {
        int cut = stratum.indexOf(STYLE_SEPARATOR);
        return cut < 0 ? stratum : stratum.substring(0, cut);
    }

    private static void balance(List<Group> stratum, long target) {
        int val = 0;
        List<Group> free = new ArrayList<>();
        for (Group g : stratum) {
            if (g.pinned != null) {
                g.side = g.pinned;
            } else if (g.previous == Side.TRAIN || g.previous == Side.VAL) {
                g.side = g.previous;
                free.add(g);
            } else {
                g.side = null;
                free.add(g);
            }
            if (g.side == Side.VAL) {
                val += g.size();
            }
        }
        free.sort(Comparator.<Group>comparingLong(g -> g.priority).thenComparing(g -> g.key));
        // new groups fill the side that is short
        for (Group g : free) {
            if (g.side == null) {
                if (Math.abs(val + g.size() - target) < Math.abs(val - target)) {
                    g.side = Side.VAL;
                    val += g.size();
                } else {
                    g.side = Side.TRAIN;
                }
            }
        }
        // then the fewest moves that bring the stratum back to its target: a move is made only when it helps
        boolean improved = true;
        while (improved && val != target) {
            improved = false;
            Side from = val > target ? Side.VAL : Side.TRAIN;
            for (int i = free.size() - 1; i >= 0; i--) {
                Group g = free.get(from == Side.VAL ? i : free.size() - 1 - i);
                if (g.side != from) {
                    continue;
                }
                int after = from == Side.VAL ? val - g.size() : val + g.size();
                if (Math.abs(after - target) < Math.abs(val - target)) {
                    g.side = from == Side.VAL ? Side.TRAIN : Side.VAL;
                    val = after;
                    improved = true;
                    break;
                }
            }
            if (!improved && val != target) {
                // duplicate groups of different sizes: one swap (a val group for a train group) may still get closer
                improved = swap(free, val, target);
                if (improved) {
                    val = stratum.stream().filter(g -> g.side == Side.VAL).mapToInt(Group::size).sum();
                }
            }
        }
    }

    /** Swaps the first (by priority) val/train pair of groups whose size difference brings val closer to target. */
    private static boolean swap(List<Group> free, int val, long target) {
        Map<Integer, Group> firstValOfSize = new TreeMap<>();
        Map<Integer, Group> firstTrainOfSize = new TreeMap<>();
        for (Group g : free) {
            (g.side == Side.VAL ? firstValOfSize : firstTrainOfSize).putIfAbsent(g.size(), g);
        }
        for (var v : firstValOfSize.entrySet()) {
            for (var t : firstTrainOfSize.entrySet()) {
                int after = val - v.getKey() + t.getKey();
                if (Math.abs(after - target) < Math.abs(val - target)) {
                    v.getValue().side = Side.TRAIN;
                    t.getValue().side = Side.VAL;
                    return true;
                }
            }
        }
        return false;
    }

    private static long mix(long seed, UUID id) {
        long z = seed ^ id.getMostSignificantBits() * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(id.getLeastSignificantBits(), 31);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
