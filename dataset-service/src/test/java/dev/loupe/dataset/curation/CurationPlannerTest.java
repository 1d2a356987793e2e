package dev.loupe.dataset.curation;

import dev.loupe.augment.api.AugmentApi;
import dev.loupe.embedding.api.Finding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner's arithmetic, order and evidence, one proposer at a time and together. */
class CurationPlannerTest {

    private static final PlanInputs.Settings SETTINGS = new PlanInputs.Settings(0.9, 5.0, 0.02, 100, 42);
    private static final UUID PROJECT = UUID.randomUUID();

    /** Classes i (60 train originals), ii (30), iii (10); 100 train + 25 val items. */
    private final Map<String, List<UUID>> originals = new LinkedHashMap<>(Map.of(
            "i", ids(60), "ii", ids(30), "iii", ids(10)));
    private final Map<String, Integer> trainCounts = Map.of("i", 60, "ii", 30, "iii", 10);

    private PlanInputs inputs(Map<String, Double> accuracy, List<Finding> issues, List<Finding> outliers,
                              AugmentApi.Suggestions suggestions) {
        return inputs(accuracy, issues, outliers, suggestions, Set.of());
    }

    private PlanInputs inputs(Map<String, Double> accuracy, List<Finding> issues, List<Finding> outliers,
                              AugmentApi.Suggestions suggestions, Set<UUID> frozenVal) {
        return new PlanInputs(PROJECT, UUID.randomUUID(), accuracy == null ? null : UUID.randomUUID(), 125,
                List.of("i", "ii", "iii"), trainCounts, originals, accuracy,
                List.of(new PlanInputs.Confusion("iii", "ii", 4), new PlanInputs.Confusion("i", "ii", 1)), issues, outliers,
                suggestions, suggestions == null ? "unavailable" : "ok", frozenVal, SETTINGS);
    }

    @Test
    void excludeTakesOutliersAboveTheScoreStrongestFirstCappedAtTheShare() {
        // 125 items x 2% = 2.5, rounded up: at most 3
        List<Finding> outliers = List.of(outlier(originals.get("i").get(0), 104), outlier(originals.get("i").get(1), 9),
                outlier(originals.get("ii").get(0), 7), outlier(originals.get("ii").get(1), 6), outlier(UUID.randomUUID(), 4.9));
        Budget budget = new Budget(10_000, 125);
        List<CurationAction> actions = new ExcludeProposer().propose(inputs(null, List.of(), outliers, null), budget);
        assertEquals(1, actions.size());
        CurationAction exclude = actions.getFirst();
        assertEquals(ActionKind.EXCLUDE, exclude.kind());
        assertTrue(exclude.auto());
        assertEquals(List.of(originals.get("i").get(0), originals.get("i").get(1), originals.get("ii").get(0)), exclude.itemIds());
        assertEquals(3, exclude.evidence().get("cap"));
        assertEquals(4, exclude.evidence().get("atLeastMinScore"));
        assertEquals(122, budget.itemsAfter());
        assertEquals(10_000 - 122, budget.remaining());
        assertTrue(budget.claimed(originals.get("i").get(0)));
        // nothing strong enough: no action, nothing charged
        Budget untouched = new Budget(10_000, 125);
        assertTrue(new ExcludeProposer().propose(inputs(null, List.of(), List.of(outlier(UUID.randomUUID(), 3)), null),
                untouched).isEmpty());
        assertEquals(125, untouched.itemsAfter());
    }

    @Test
    void outliersOnAFrozenValidationSideGoToPeopleNotOut() {
        UUID frozen = UUID.randomUUID();
        UUID train = originals.get("i").get(0);
        List<Finding> outliers = List.of(outlier(frozen, 120), outlier(train, 9));
        Budget budget = new Budget(10_000, 125);
        List<CurationAction> actions = new ExcludeProposer().propose(
                inputs(null, List.of(), outliers, null, Set.of(frozen, UUID.randomUUID())), budget);
        assertEquals(List.of(ActionKind.EXCLUDE, ActionKind.REVIEW), actions.stream().map(CurationAction::kind).toList());
        assertEquals(List.of(train), actions.get(0).itemIds());
        CurationAction review = actions.get(1);
        assertFalse(review.auto());
        assertEquals(List.of(frozen), review.itemIds());
        assertEquals(2, review.evidence().get("frozenValidationItems"));
        assertTrue(review.reason().contains("frozen validation side"), review.reason());
        // only the excluded item leaves; the frozen one is claimed, so no later action relabels or copies it
        assertEquals(124, budget.itemsAfter());
        assertTrue(budget.claimed(frozen));
        // the cap counts exclusions only: a frozen outlier does not use up a place
        assertEquals(3, actions.get(0).evidence().get("cap"));
    }

    @Test
    void relabelAcceptsConfidentSuggestionsPerLabelAndSendsTheRestToReview() {
        UUID a = originals.get("ii").get(3);
        UUID b = originals.get("ii").get(4);
        UUID c = originals.get("i").get(5);
        UUID doubtful1 = originals.get("i").get(6);
        UUID doubtful2 = originals.get("i").get(7);
        UUID excluded = originals.get("i").get(8);
        List<Finding> issues = List.of(issue(a, "ii", "iii", 0.99), issue(b, "ii", "iii", 0.95), issue(c, "i", "ii", 0.9),
                issue(doubtful1, "i", "ii", 0.5), issue(doubtful2, "i", "iii", 0.7), issue(excluded, "i", "ii", 0.99),
                issue(UUID.randomUUID(), "i", "not-a-class", 0.99));
        Budget budget = new Budget(10_000, 125);
        budget.claim(excluded); // an earlier action (EXCLUDE) has it
        List<CurationAction> actions = new RelabelProposer().propose(inputs(null, issues, List.of(), null), budget);
        assertEquals(List.of(ActionKind.RELABEL, ActionKind.RELABEL, ActionKind.REVIEW), actions.stream().map(CurationAction::kind).toList());
        // the larger group first; confidence exactly at the threshold is accepted
        assertEquals("iii", actions.get(0).label());
        assertEquals(List.of(a, b), actions.get(0).itemIds());
        assertEquals(Map.of("ii", 2), actions.get(0).evidence().get("from"));
        assertEquals(0.95, actions.get(0).evidence().get("lowestConfidence"));
        assertEquals("ii", actions.get(1).label());
        assertEquals(List.of(c), actions.get(1).itemIds());
        CurationAction review = actions.get(2);
        assertFalse(review.auto());
        assertEquals(2, review.count());
        assertEquals(List.of(doubtful2, doubtful1), review.itemIds(), "most confident first");
        assertEquals(125, budget.itemsAfter(), "relabels neither add nor remove items");
    }

    @Test
    void augmentSharesTheRemainingBudgetByOneMinusAccuracy() {
        Budget budget = new Budget(225, 125); // 100 new images
        Map<String, Double> accuracy = Map.of("i", 0.9, "ii", 0.7, "iii", 0.4); // weights 0.1, 0.3, 0.6
        List<CurationAction> actions = new AugmentProposer().propose(inputs(accuracy, List.of(), List.of(), null), budget);
        assertEquals(List.of("iii", "ii", "i"), actions.stream().map(CurationAction::label).toList(), "largest share first");
        assertTrue(actions.stream().allMatch(a -> a.kind() == ActionKind.AUGMENT && a.auto()));
        // iii: share 60 over 10 originals: 6 copies of each of 10
        CurationAction iii = actions.getFirst();
        assertEquals(60, iii.count());
        assertEquals(6, iii.request().get("copiesPerItem"));
        assertEquals(originals.get("iii"), iii.request().get("itemIds"));
        assertEquals(Requests.DEFAULT_OPS, iii.request().get("ops"));
        assertEquals(0.4, iii.evidence().get("accuracy"));
        assertEquals(60, iii.evidence().get("share"));
        assertEquals(List.of(new PlanInputs.Confusion("iii", "ii", 4)), iii.evidence().get("confusions"));
        // ii: 30 -> 1 copy of 30 originals; i: 10 -> 1 copy of 10 of its 60
        assertEquals(30, actions.get(1).count());
        assertEquals(10, actions.get(2).count());
        assertEquals(1, actions.get(2).request().get("copiesPerItem"));
        assertEquals(10, ((List<?>) actions.get(2).request().get("itemIds")).size());
        assertEquals(225, budget.itemsAfter());
        assertEquals(0, budget.remaining());
    }

    @Test
    void withoutAnEvaluationClassCountsFillTheSmallestClassesFirst() {
        // 60 new images on train counts 60, 30, 10: the common level is 50 (iii +40, ii +20, i none)
        Budget budget = new Budget(185, 125);
        List<CurationAction> actions = new AugmentProposer().propose(inputs(null, List.of(), List.of(), null), budget);
        assertEquals(List.of("iii", "ii"), actions.stream().map(CurationAction::label).toList());
        assertEquals(40, actions.get(0).count());
        assertEquals(4, actions.get(0).request().get("copiesPerItem"));
        assertEquals(20, actions.get(1).count());
        assertEquals(1, actions.get(1).request().get("copiesPerItem"));
        assertEquals("class counts (filling the smallest classes)", actions.getFirst().evidence().get("basis"));
        assertEquals(40.0, actions.getFirst().evidence().get("weight"));
        assertEquals(185, budget.itemsAfter());
        // an uneven share: 37 on 10 originals is 4 copies of 9 (36), never more than the share
        Budget uneven = new Budget(125 + 37, 125);
        List<CurationAction> one = new AugmentProposer().propose(inputs(Map.of("i", 1.0, "ii", 1.0, "iii", 0.5), List.of(),
                List.of(), null), uneven);
        assertEquals(36, one.getFirst().count());
        assertEquals(9, ((List<?>) one.getFirst().request().get("itemIds")).size());
        assertEquals(1, uneven.remaining());
    }

    @Test
    void aRecipeComposesHalfAClassShareAndSuggestedOpsAreUsed() {
        List<Map<String, Object>> ops = List.of(Map.of("op", "rotate", "params", Map.of("degrees", List.of(-5, 5))));
        AugmentApi.Suggestions suggestions = new AugmentApi.Suggestions(PROJECT, List.of(), List.of(
                new AugmentApi.Suggestion("recipe", "iii", "short", 20, "/recipes", Map.of("label", "iii", "count", 20)),
                new AugmentApi.Suggestion("augment", "ii", "confused", 30, "/augmentations",
                        Map.of("filter", Map.of("label", "ii"), "ops", ops, "copiesPerItem", 1))), "ok");
        Budget budget = new Budget(225, 125);
        List<CurationAction> actions = new AugmentProposer().propose(
                inputs(Map.of("i", 0.9, "ii", 0.7, "iii", 0.4), List.of(), List.of(), suggestions), budget);
        CurationAction compose = actions.get(0);
        assertEquals(ActionKind.COMPOSE, compose.kind());
        assertEquals(30, compose.count());
        assertEquals(Map.of("label", "iii", "count", 30, "seed", 42L), compose.request());
        assertEquals(ActionKind.AUGMENT, actions.get(1).kind());
        assertEquals(30, actions.get(1).count());
        CurationAction ii = actions.stream().filter(a -> "ii".equals(a.label())).findFirst().orElseThrow();
        assertEquals(ops, ii.request().get("ops"));
        assertEquals("the augment service's suggestion", ii.evidence().get("opsFrom"));
        assertEquals(225, budget.itemsAfter());
    }

    @Test
    void balanceStylesCopiesTheClustersTrainingItemsWithinTheBudget() {
        List<UUID> cluster = new ArrayList<>(originals.get("ii").subList(0, 3));
        cluster.add(UUID.randomUUID()); // a validation item: left out
        List<Map<String, Object>> ops = List.of(Map.of("op", "zoom", "params", Map.of("factor", List.of(0.9, 1.1))));
        AugmentApi.Suggestions suggestions = new AugmentApi.Suggestions(PROJECT, List.of(), List.of(
                new AugmentApi.Suggestion("augment", "ii", "style cluster 2 of \"ii\" has only 4 of the class's 37 items", 20,
                        "/augmentations", Map.of("itemIds", cluster.stream().map(UUID::toString).toList(), "ops", ops,
                                "copiesPerItem", 5))), "ok");
        Budget budget = new Budget(135, 125); // room for 10
        List<CurationAction> actions = new StyleProposer().propose(inputs(null, List.of(), List.of(), suggestions), budget);
        assertEquals(1, actions.size());
        CurationAction style = actions.getFirst();
        assertEquals(ActionKind.BALANCE_STYLES, style.kind());
        assertEquals(cluster.subList(0, 3), style.itemIds());
        assertEquals(9, style.count(), "3 copies of 3 train items fit in 10");
        assertEquals(3, style.request().get("copiesPerItem"));
        assertEquals(ops, style.request().get("ops"));
        assertEquals(3, style.evidence().get("onTrain"));
        assertEquals(134, budget.itemsAfter());

        // an item an earlier action claimed (excluded by EXCLUDE, relabelled or sent to review) is not copied:
        // the augment service refuses copies of an excluded item, and a label under review may change
        Budget afterExclude = new Budget(135, 125);
        afterExclude.claim(cluster.get(0));
        CurationAction rest = new StyleProposer().propose(inputs(null, List.of(), List.of(), suggestions), afterExclude)
                .getFirst();
        assertEquals(cluster.subList(1, 3), rest.itemIds());
        assertEquals(2, rest.evidence().get("onTrain"));
        assertEquals(10, rest.count(), "5 copies of the 2 unclaimed train items");
    }

    @Test
    void aWholePlanIsOrderedNumberedAndSpendsExactlyTheBudget() {
        UUID junk = originals.get("i").get(0);
        List<Finding> issues = List.of(issue(junk, "i", "ii", 0.99), issue(originals.get("ii").get(1), "ii", "iii", 0.97),
                issue(originals.get("iii").get(1), "iii", "ii", 0.3));
        CurationPlanner.Draft draft = new CurationPlanner().plan(inputs(Map.of("i", 0.95, "ii", 0.8, "iii", 0.5), issues,
                List.of(outlier(junk, 102)), null), 5_000);
        assertEquals(List.of(ActionKind.EXCLUDE, ActionKind.RELABEL, ActionKind.REVIEW, ActionKind.AUGMENT, ActionKind.AUGMENT,
                ActionKind.AUGMENT), draft.actions().stream().map(CurationAction::kind).toList());
        assertEquals(IntStream.range(0, 6).boxed().toList(), draft.actions().stream().map(CurationAction::index).toList());
        // the junk image is excluded, not relabelled, and not copied
        assertEquals(List.of(junk), draft.actions().get(0).itemIds());
        assertEquals(List.of(originals.get("ii").get(1)), draft.actions().get(1).itemIds());
        assertTrue(draft.actions().stream().filter(a -> a.kind() == ActionKind.AUGMENT)
                .noneMatch(a -> ((List<?>) a.request().get("itemIds")).contains(junk)));
        assertEquals(125, draft.itemsNow());
        int added = draft.actions().stream().mapToInt(CurationAction::added).sum();
        assertEquals(124 + added, draft.itemsAfterPlan());
        // iii (10 originals, one of them doubtful: under review, so not copied; at most 100 copies each) is full at
        // 900: the rest went to i and ii; each class loses less than one copy per item to rounding
        assertEquals(900, draft.actions().stream().filter(a -> a.kind() == ActionKind.AUGMENT && "iii".equals(a.label())).findFirst().orElseThrow().count());
        assertTrue(draft.itemsAfterPlan() <= 5_000 && draft.itemsAfterPlan() > 5_000 - 3 * 100,
                "spends the budget up to rounding: " + draft.itemsAfterPlan());
    }

    @Test
    void aFullClassPassesItsShareOnByWeight() {
        Map<String, Integer> shares = AugmentProposer.capped(100, new LinkedHashMap<>(Map.of("a", 3.0, "b", 1.0, "c", 1.0)),
                Map.of("a", 20, "b", 1000, "c", 1000));
        assertEquals(Map.of("a", 20, "b", 40, "c", 40), shares);
        assertEquals(Map.of("a", 5, "b", 5), AugmentProposer.capped(100, new LinkedHashMap<>(Map.of("a", 1.0, "b", 1.0)),
                Map.of("a", 5, "b", 5)), "every class full: the rest stays unspent");
    }

    @Test
    void largestRemainderKeepsTheTotal() {
        Map<String, Integer> shares = AugmentProposer.largestRemainder(10, new LinkedHashMap<>(Map.of("a", 1.0, "b", 1.0, "c", 1.0)));
        assertEquals(10, shares.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(4, shares.get("a"), "ties go by name");
        assertEquals(Map.of("a", 0, "b", 0), AugmentProposer.largestRemainder(10, new LinkedHashMap<>(Map.of("a", 0.0, "b", 0.0))));
    }

    // --- helpers

    private static List<UUID> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).sorted().toList();
    }

    private static Finding issue(UUID id, String given, String suggested, double confidence) {
        return new Finding(Finding.TYPE_LABEL_ISSUE, List.of(id), confidence,
                Map.of(Finding.EVIDENCE_GIVEN_LABEL, given, Finding.EVIDENCE_SUGGESTED_LABEL, suggested));
    }

    private static Finding outlier(UUID id, double score) {
        return new Finding(Finding.TYPE_OUTLIER, List.of(id), score, Map.of("reason", score > 100 ? "blank" : "far"));
    }
}
