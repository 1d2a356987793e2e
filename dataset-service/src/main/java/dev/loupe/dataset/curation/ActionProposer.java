package dev.loupe.dataset.curation;

import java.util.List;

/**
 * One kind of curation action, cleanlab-style: a small pure class that reads the plan's inputs and what earlier
 * proposers spent of the budget, and answers its actions (already charged to the budget).
 */
public interface ActionProposer {

    List<CurationAction> propose(PlanInputs in, Budget budget);
}
