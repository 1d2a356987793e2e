package dev.loupe.dataset.split;

import dev.loupe.dataset.split.SplitPlanner.Config;
import dev.loupe.dataset.split.SplitPlanner.Item;
import dev.loupe.dataset.split.SplitPlanner.Plan;
import dev.loupe.dataset.split.SplitPlanner.Side;
import dev.loupe.dataset.split.SplitPlanner.Strategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitPlannerTest {

    private static final Config STRATIFIED = new Config(Strategy.STRATIFIED, 0.2, 42, null);

    @Test
    void everyClassGetsItsValShare() {
        List<Item> items = items(new String[]{"i", "ii", "iii"}, new int[]{100, 55, 7}, 1, 1);
        Plan plan = SplitPlanner.plan(items, List.of(), STRATIFIED, Map.of());
        Map<String, Map<String, Integer>> counts = plan.counts(labels(items));
        assertEquals(20, counts.get("val").get("i"));
        assertEquals(80, counts.get("train").get("i"));
        assertEquals(11, counts.get("val").get("ii"));
        assertEquals(1, counts.get("val").get("iii")); // 0.2 * 7 = 1.4: 1, and 20 + 11 + 1 = round(0.2 * 162)
        assertEquals(items.size(), plan.newlyAssigned());
        assertTrue(plan.moved().isEmpty());
    }

    @Test
    void augmentedItemsTrainWithTheirParentsAndValStaysRealImages() {
        List<Item> items = new ArrayList<>(items(new String[]{"i", "ii"}, new int[]{50, 50}, 1, 9));
        Plan before = SplitPlanner.plan(items, List.of(), STRATIFIED, Map.of());
        // three copies of each of five val items of "i", and ten images composed from nothing known
        List<Item> valParents = items.stream().filter(i -> i.label().equals("i") && before.sides().get(i.id()) == Side.VAL)
                .limit(5).toList();
        List<Item> derived = new ArrayList<>();
        for (Item parent : valParents) {
            for (int c = 0; c < 3; c++) {
                derived.add(new Item(UUID.randomUUID(), "i", "aug" + parent.id() + c, null, -1, List.of(parent.id())));
            }
        }
        for (int c = 0; c < 10; c++) {
            UUID id = UUID.randomUUID();
            derived.add(new Item(id, "ii", "syn" + c, "val", -1, List.of(id)));
        }
        items.addAll(derived);
        for (Strategy strategy : Strategy.values()) {
            Plan plan = SplitPlanner.plan(items, List.of(), new Config(strategy, 0.2, 42, null), before.sides());
            for (Item d : derived) assertEquals(Side.TRAIN, plan.sides().get(d.id()), strategy + ": derived items train");
            for (Item p : valParents) assertEquals(Side.TRAIN, plan.sides().get(p.id()), strategy + ": their parents train too");
            Map<String, Map<String, Integer>> counts = plan.counts(labels(items));
            if (strategy != Strategy.KEEP_ORIGINAL) {
                // val is still 20% of the 50 original images of each class, refilled from other originals
                assertEquals(10, counts.get("val").get("i"), strategy.wire());
                assertEquals(10, counts.get("val").get("ii"), strategy.wire());
            }
            assertEquals(50 + 15 + 10 + 50 - counts.get("val").values().stream().mapToInt(Integer::intValue).sum(),
                    counts.get("train").values().stream().mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void theSameInputGivesTheSamePlanAndAnotherSeedAnotherOne() {
        List<Item> items = items(new String[]{"v", "x"}, new int[]{50, 50}, 1, 2);
        Plan a = SplitPlanner.plan(items, List.of(), STRATIFIED, Map.of());
        Plan b = SplitPlanner.plan(new ArrayList<>(items.reversed()), List.of(), STRATIFIED, Map.of());
        assertEquals(a.sides(), b.sides());
        Plan other = SplitPlanner.plan(items, List.of(), new Config(Strategy.STRATIFIED, 0.2, 7, null), Map.of());
        assertNotEquals(a.sides(), other.sides());
        assertEquals(a.counts(labels(items)), other.counts(labels(items)));
    }

    @Test
    void oneLabelChangeMovesAtMostTheItemsNeededToRebalance() {
        List<Item> items = items(new String[]{"i", "ii", "iii", "iv"}, new int[]{40, 40, 40, 40}, 1, 3);
        Plan before = SplitPlanner.plan(items, List.of(), STRATIFIED, Map.of());
        // relabel one val item of "i" as "ii"
        Item changed = items.stream().filter(i -> i.label().equals("i") && before.sides().get(i.id()) == Side.VAL)
                .findFirst().orElseThrow();
        List<Item> after = new ArrayList<>(items);
        after.set(after.indexOf(changed), new Item(changed.id(), "ii", changed.sha256(), null, -1));
        Plan plan = SplitPlanner.plan(after, List.of(), STRATIFIED, before.sides());
        // "i" now has 39 items (target 8, has 7 in val: one train item moves); "ii" has 41 (target 8, has 9: one moves)
        assertTrue(plan.moved().size() <= 2, "moved " + plan.moved().size());
        Map<String, Map<String, Integer>> counts = plan.counts(labels(after));
        assertEquals(8, counts.get("val").get("i"));
        assertEquals(8, counts.get("val").get("ii"));
        assertEquals(0, plan.newlyAssigned());
    }

    @Test
    void aFrozenValidationSideStaysPutAndWhatLooksLikeItNeverTrains() {
        List<Item> items = new ArrayList<>(items(new String[]{"i", "ii"}, new int[]{40, 40}, 1, 3));
        Plan base = SplitPlanner.plan(items, List.of(), STRATIFIED, Map.of());
        java.util.Set<UUID> frozenVal = new java.util.HashSet<>();
        base.sides().forEach((id, side) -> {
            if (side == Side.VAL) {
                frozenVal.add(id);
            }
        });
        assertEquals(16, frozenVal.size());
        List<UUID> valIds = frozenVal.stream().sorted().toList();

        // the data changes: a frozen val item relabelled, one excluded (gone from the items), a train item relabelled,
        // an exact copy and a near duplicate of frozen val items, augmented copies of a val and a train item, new images
        List<Item> after = new ArrayList<>();
        UUID relabelled = valIds.get(0);
        UUID excluded = valIds.get(1);
        UUID trainItem = base.sides().entrySet().stream().filter(e -> e.getValue() == Side.TRAIN).map(Map.Entry::getKey)
                .sorted().findFirst().orElseThrow();
        for (Item it : items) {
            if (it.id().equals(excluded)) {
                continue;
            }
            boolean flip = it.id().equals(relabelled) || it.id().equals(trainItem);
            after.add(flip ? new Item(it.id(), it.label().equals("i") ? "ii" : "i", it.sha256(), null, -1) : it);
        }
        Item valTwin = items.stream().filter(i -> i.id().equals(valIds.get(2))).findFirst().orElseThrow();
        Item copy = new Item(id(5000), valTwin.label(), valTwin.sha256(), null, -1);
        Item near = new Item(id(5001), "i", sha(5001), null, -1);
        Item augmentedVal = new Item(id(5002), valTwin.label(), sha(5002), null, -1, List.of(valTwin.id()));
        Item augmentedTrain = new Item(id(5003), "i", sha(5003), null, -1, List.of(trainItem));
        after.addAll(List.of(copy, near, augmentedVal, augmentedTrain));
        List<Item> fresh = items(new String[]{"i", "ii"}, new int[]{30, 30}, 6000, 3);
        after.addAll(fresh);
        List<UUID[]> nearPairs = List.<UUID[]>of(new UUID[]{valIds.get(3), near.id()});

        for (Strategy strategy : Strategy.values()) {
            for (double fraction : new double[]{0.1, 0.5}) {
                Config frozen = new Config(strategy, fraction, 7, null, frozenVal);
                Plan plan = SplitPlanner.plan(after, nearPairs, frozen, base.sides());
                String where = strategy + " " + fraction + ": ";
                java.util.Set<UUID> val = new java.util.HashSet<>();
                plan.sides().forEach((id, side) -> {
                    if (side == Side.VAL) {
                        val.add(id);
                    }
                });
                java.util.Set<UUID> expected = new java.util.HashSet<>(frozenVal);
                expected.remove(excluded);
                assertEquals(expected, val, where + "val is exactly the frozen items still present");
                for (Item left : List.of(copy, near, augmentedVal)) {
                    assertEquals(Side.OUT, plan.sides().get(left.id()), where + "a copy of a frozen val item is left out");
                    assertEquals(SplitPlanner.NEAR_FROZEN_VAL, plan.reasons().get(left.id()));
                }
                assertEquals(Map.of(SplitPlanner.NEAR_FROZEN_VAL, 3), plan.leftOut());
                assertEquals(Side.TRAIN, plan.sides().get(augmentedTrain.id()), where + "derived items still train");
                assertEquals(Side.TRAIN, plan.sides().get(trainItem), where + "a relabelled train item stays train");
                for (Item f : fresh) {
                    assertEquals(Side.TRAIN, plan.sides().get(f.id()), where + "new images train");
                }
                // the relabelled val item counts under its new label
                assertEquals(plan.counts(labels(after)), SplitPlanner.plan(new ArrayList<>(after.reversed()), nearPairs,
                        frozen, Map.of()).counts(labels(after)), where + "deterministic, whatever the order and history");
                assertEquals(plan.sides(), SplitPlanner.plan(after, nearPairs, frozen, Map.of()).sides());
            }
        }
        // a cap leaves the frozen val side whole and trims train
        Plan capped = SplitPlanner.plan(after, nearPairs, new Config(Strategy.STRATIFIED, 0.2, 7, 50, frozenVal), Map.of());
        assertEquals(15, capped.sides().values().stream().filter(s -> s == Side.VAL).count());
        assertEquals(35, capped.sides().values().stream().filter(s -> s == Side.TRAIN).count());
        assertEquals(after.size() - 50, capped.leftOut().values().stream().mapToInt(Integer::intValue).sum());
        // unfrozen again: the strategy chooses val, so some new images join it
        Plan unfrozen = SplitPlanner.plan(after, nearPairs, new Config(Strategy.STRATIFIED, 0.2, 7, null), Map.of());
        assertTrue(fresh.stream().anyMatch(f -> unfrozen.sides().get(f.id()) == Side.VAL));
        assertTrue(unfrozen.reasons().isEmpty());
    }

    @Test
    void duplicatesAndNearDuplicatesStayOnOneSide() {
        List<Item> items = new ArrayList<>(items(new String[]{"vi"}, new int[]{30}, 1, 4));
        // 10 pairs sharing bytes and 5 near-duplicate pairs
        List<UUID[]> near = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Item twin = items.get(i);
            items.add(new Item(id(1000 + i), "vi", twin.sha256(), null, -1));
        }
        for (int i = 10; i < 15; i++) {
            near.add(new UUID[]{items.get(i).id(), items.get(i + 5).id()});
        }
        for (long seed = 0; seed < 20; seed++) {
            Plan plan = SplitPlanner.plan(items, near, new Config(Strategy.STRATIFIED, 0.3, seed, null), Map.of());
            for (int i = 0; i < 10; i++) {
                assertEquals(plan.sides().get(items.get(i).id()), plan.sides().get(id(1000 + i)), "exact duplicates, seed " + seed);
            }
            for (UUID[] pair : near) {
                assertEquals(plan.sides().get(pair[0]), plan.sides().get(pair[1]), "near duplicates, seed " + seed);
            }
        }
    }

    @Test
    void styleBalancedSplitsEveryClusterOfEveryClass() {
        List<Item> items = new ArrayList<>();
        int n = 0;
        // class "x": cluster 0 with 60 items, cluster 1 with 15 (a rare style)
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < (c == 0 ? 60 : 15); i++) {
                items.add(new Item(id(n), "x", sha(n), null, c));
                n++;
            }
        }
        Plan plan = SplitPlanner.plan(items, List.of(), new Config(Strategy.STYLE_BALANCED, 0.2, 42, null), Map.of());
        int rareVal = 0;
        int commonVal = 0;
        for (Item item : items) {
            if (plan.sides().get(item.id()) == Side.VAL) {
                if (item.cluster() == 1) {
                    rareVal++;
                } else {
                    commonVal++;
                }
            }
        }
        assertEquals(3, rareVal);
        assertEquals(12, commonVal);
    }

    @Test
    void manySmallStylesDoNotAddUpRoundingErrors() {
        // 10 classes x 3 styles x 2 items at 0.3: per style round(0.6) would give 30 val items, per class 2 x 10 = 20,
        // top down exactly 18: eight classes with 2 and two with 1
        List<Item> items = new ArrayList<>();
        int n = 0;
        for (int c = 0; c < 10; c++) {
            for (int style = 0; style < 3; style++) {
                for (int i = 0; i < 2; i++) {
                    items.add(new Item(id(n), "class-" + c, sha(n), null, style));
                    n++;
                }
            }
        }
        Plan plan = SplitPlanner.plan(items, List.of(), new Config(Strategy.STYLE_BALANCED, 0.3, 42, null), Map.of());
        Map<String, Map<String, Integer>> counts = plan.counts(labels(items));
        assertEquals(18, counts.get("val").values().stream().mapToInt(Integer::intValue).sum());
        for (int c = 0; c < 10; c++) {
            int val = counts.get("val").get("class-" + c);
            assertTrue(val == 1 || val == 2, "class-" + c + ": " + val);
        }
    }

    @Test
    void aSwapOfDuplicateGroupsReachesTheTargetWhereSingleMovesCannot() {
        // 10 items in 5 pairs of duplicates: val target round(0.3 x 10) = 3 cannot be reached with pairs alone,
        // but 3 single items plus pairs can; here: 4 pairs and 2 singles, target 3 = one pair + one single
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            items.add(new Item(id(2 * i), "x", sha(i), null, -1));
            items.add(new Item(id(2 * i + 1), "x", sha(i), null, -1));
        }
        items.add(new Item(id(100), "x", sha(100), null, -1));
        items.add(new Item(id(101), "x", sha(101), null, -1));
        for (long seed = 0; seed < 30; seed++) {
            Plan plan = SplitPlanner.plan(items, List.of(), new Config(Strategy.STRATIFIED, 0.3, seed, null), Map.of());
            assertEquals(3, plan.counts(labels(items)).get("val").get("x"), "seed " + seed);
        }
    }

    @Test
    void keepOriginalRespectsTheImportAndBalancesTheRest() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(new Item(id(i), "ix", sha(i), i < 5 ? "val" : "train", -1));
        }
        for (int i = 20; i < 30; i++) {
            items.add(new Item(id(i), "ix", sha(i), null, -1)); // e.g. augmented later: no original split
        }
        Plan plan = SplitPlanner.plan(items, List.of(), new Config(Strategy.KEEP_ORIGINAL, 0.2, 42, null), Map.of());
        for (int i = 0; i < 20; i++) {
            assertEquals(i < 5 ? Side.VAL : Side.TRAIN, plan.sides().get(id(i)));
        }
        // target round(0.2 * 30) = 6 val: 5 pinned + 1 of the free ones
        assertEquals(6, plan.counts(labels(items)).get("val").get("ix"));
    }

    @Test
    void maxItemsKeepsEachClassItsShareAndPrefersItemsAlreadyIn() {
        List<Item> items = items(new String[]{"i", "ii"}, new int[]{300, 100}, 1, 5);
        Plan capped = SplitPlanner.plan(items, List.of(), new Config(Strategy.STRATIFIED, 0.25, 1, 200), Map.of());
        Map<String, Map<String, Integer>> counts = capped.counts(labels(items));
        assertEquals(150, counts.get("train").get("i") + counts.get("val").get("i"));
        assertEquals(50, counts.get("train").get("ii") + counts.get("val").get("ii"));
        assertEquals(200, capped.sides().values().stream().filter(s -> s != Side.OUT).count());
        // ten more items of "ii": those already in stay in, the cap still holds
        List<Item> more = new ArrayList<>(items);
        more.addAll(items(new String[]{"ii"}, new int[]{10}, 5000, 6));
        Plan next = SplitPlanner.plan(more, List.of(), new Config(Strategy.STRATIFIED, 0.25, 1, 200), capped.sides());
        assertEquals(200, next.sides().values().stream().filter(s -> s != Side.OUT).count());
        long leftIn = capped.sides().entrySet().stream()
                .filter(e -> e.getValue() != Side.OUT && next.sides().get(e.getKey()) != Side.OUT).count();
        // quotas are now 146 for "i" (300 of 410) and 54 for "ii": "i" gives up 4 items, "ii" keeps its 50 and adds 4
        assertEquals(196, leftIn);
    }

    @Test
    void randomChangesKeepEveryClassWithinOneItemOfItsShareMovingLittle() {
        Random random = new Random(11);
        List<Item> items = items(new String[]{"i", "ii", "iii", "iv", "v"}, new int[]{37, 52, 18, 90, 5}, 1, 7);
        Map<UUID, Side> sides = SplitPlanner.plan(items, List.of(), STRATIFIED, Map.of()).sides();
        String[] classes = {"i", "ii", "iii", "iv", "v"};
        int totalMoved = 0;
        for (int round = 0; round < 200; round++) {
            int k = random.nextInt(items.size());
            Item old = items.get(k);
            items.set(k, new Item(old.id(), classes[random.nextInt(classes.length)], old.sha256(), null, -1));
            Plan plan = SplitPlanner.plan(items, List.of(), STRATIFIED, sides);
            totalMoved += plan.moved().size();
            sides = plan.sides();
            Map<String, Integer> size = new HashMap<>();
            items.forEach(i -> size.merge(i.label(), 1, Integer::sum));
            Map<String, Map<String, Integer>> counts = plan.counts(labels(items));
            for (String c : size.keySet()) {
                double exact = 0.2 * size.get(c);
                assertTrue(Math.abs(counts.get("val").getOrDefault(c, 0) - exact) < 1, "class " + c + " round " + round);
            }
            assertEquals(Math.round(0.2 * items.size()), counts.get("val").values().stream().mapToInt(Integer::intValue).sum());
        }
        assertTrue(totalMoved <= 2 * 200, "moved " + totalMoved + " in 200 changes");
    }

    static List<Item> items(String[] classes, int[] perClass, int firstId, long seed) {
        List<Item> items = new ArrayList<>();
        int n = firstId;
        for (int c = 0; c < classes.length; c++) {
            for (int i = 0; i < perClass[c]; i++) {
                items.add(new Item(id(n), classes[c], sha(n), null, -1));
                n++;
            }
        }
        return items;
    }

    static Map<UUID, String> labels(List<Item> items) {
        Map<UUID, String> labels = new HashMap<>();
        items.forEach(i -> labels.put(i.id(), i.label()));
        return labels;
    }

    static UUID id(int n) {
        return UUID.nameUUIDFromBytes(("item-" + n).getBytes());
    }

    static String sha(int n) {
        return String.format("%064x", n);
    }
}
