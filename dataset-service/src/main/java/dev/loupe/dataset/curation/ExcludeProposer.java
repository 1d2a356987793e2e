package dev.loupe.dataset.curation;

import dev.loupe.embedding.api.Finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * EXCLUDE: the strongest outliers (score at least {@code outlierMinScore}: blank and dark pages, images far from all
 * their neighbours), at most {@code excludeMaxShare} of the items (rounded up). Runs first, so junk is excluded rather
 * than relabelled. Strong outliers on a frozen validation side are not excluded automatically (that would change what
 * every version is compared on): a REVIEW action names them for people.
 */
public final class ExcludeProposer implements ActionProposer {

    @Override
    public List<CurationAction> propose(PlanInputs in, Budget budget) {
        PlanInputs.Settings s = in.settings();
        int cap = (int) Math.ceil(s.excludeMaxShare() * in.itemsNow());
        List<Finding> strong = in.outliers().stream().filter(f -> f.score() >= s.outlierMinScore() && !f.itemIds().isEmpty())
                .toList();
        List<UUID> ids = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        List<Finding> onFrozenVal = new ArrayList<>();
        for (Finding f : strong) {
            UUID id = f.itemIds().getFirst();
            if (in.frozenVal().contains(id)) {
                if (budget.claim(id)) { // people decide it: no later action relabels or copies it
                    onFrozenVal.add(f);
                }
                continue;
            }
            if (ids.size() >= cap) {
                continue;
            }
            if (budget.claim(id)) {
                ids.add(id);
                items.add(item(f));
            }
        }
        List<CurationAction> actions = new ArrayList<>();
        if (!ids.isEmpty()) {
            actions.add(exclude(in, strong.size(), cap, ids, items));
            budget.remove(ids.size());
        }
        if (!onFrozenVal.isEmpty()) {
            actions.add(reviewFrozen(in, onFrozenVal));
        }
        return actions;
    }

    private static CurationAction exclude(PlanInputs in, int strong, int cap, List<UUID> ids, List<Map<String, Object>> items) {
        PlanInputs.Settings s = in.settings();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("outliers", in.outliers().size());
        evidence.put("atLeastMinScore", strong);
        evidence.put("minScore", s.outlierMinScore());
        evidence.put("maxShare", s.excludeMaxShare());
        evidence.put("cap", cap);
        evidence.put("items", items);
        String reason = ids.size() + " of the project's " + in.outliers().size() + " outliers score at least "
                + s.outlierMinScore() + " (blank or dark pages score 100 and more, others their robust z-score of the "
                + "distance to their neighbours)" + (strong > cap ? "; at most " + cap + " ("
                + Math.round(s.excludeMaxShare() * 1000) / 10.0 + "% of the items) are excluded" : "");
        return CurationAction.of(ActionKind.EXCLUDE, true, ids, null, ids.size(), null, evidence, reason);
    }

    private static CurationAction reviewFrozen(PlanInputs in, List<Finding> outliers) {
        List<UUID> ids = outliers.stream().map(f -> f.itemIds().getFirst()).toList();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("minScore", in.settings().outlierMinScore());
        evidence.put("frozenValidationItems", in.frozenVal().size());
        evidence.put("items", outliers.stream().map(ExcludeProposer::item).toList());
        return CurationAction.of(ActionKind.REVIEW, false, ids, null, ids.size(), null, evidence, ids.size()
                + " strong outliers are on the frozen validation side: excluding them would change what every version is "
                + "compared on, so people decide them in the review queue (GET /api/projects/" + in.projectId()
                + "/review-queue), or unfreeze the side first");
    }

    /** An outlier as the evidence names it: the item, its score and why. */
    private static Map<String, Object> item(Finding f) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("itemId", f.itemIds().getFirst());
        item.put("score", f.score());
        item.put("why", f.evidenceText("reason"));
        return item;
    }
}
