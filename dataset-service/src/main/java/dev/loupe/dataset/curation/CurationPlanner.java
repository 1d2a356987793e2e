package dev.loupe.dataset.curation;

import java.util.ArrayList;
import java.util.List;

/**
 * Proposes a plan: each {@link ActionProposer} in turn (exclude, relabel and review, balance styles, augment and
 * compose), sharing one {@link Budget}; the actions are numbered in that order, which is also the order they apply.
 */
public final class CurationPlanner {

    /** The proposed actions and the items before and after them. */
    public record Draft(List<CurationAction> actions, int itemsNow, int itemsAfterPlan) {
    }

    private final List<ActionProposer> proposers;

    public CurationPlanner() {
        this(List.of(new ExcludeProposer(), new RelabelProposer(), new StyleProposer(), new AugmentProposer()));
    }

    public CurationPlanner(List<ActionProposer> proposers) {
        this.proposers = List.copyOf(proposers);
    }

    /** {@code budget} must be at least the items now (the caller refuses less). */
    public Draft plan(PlanInputs in, int budget) {
        Budget b = new Budget(budget, in.itemsNow());
        List<CurationAction> actions = new ArrayList<>();
        for (ActionProposer p : proposers) {
            for (CurationAction a : p.propose(in, b)) {
                actions.add(a.numbered(actions.size()));
            }
        }
        return new Draft(actions, in.itemsNow(), b.itemsAfter());
    }
}
