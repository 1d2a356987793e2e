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
 * than relabelled.
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
        for (Finding f : strong) {
            if (ids.size() >= cap) {
                break;
            }
            UUID id = f.itemIds().getFirst();
            if (budget.claim(id)) {
                ids.add(id);
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("itemId", id);
                item.put("score", f.score());
                item.put("why", f.evidenceText("reason"));
                items.add(item);
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        budget.remove(ids.size());
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("outliers", in.outliers().size());
        evidence.put("atLeastMinScore", strong.size());
        evidence.put("minScore", s.outlierMinScore());
        evidence.put("maxShare", s.excludeMaxShare());
        evidence.put("cap", cap);
        evidence.put("items", items);
        String reason = ids.size() + " of the project's " + in.outliers().size() + " outliers score at least "
                + s.outlierMinScore() + " (blank or dark pages score 100 and more, others their robust z-score of the "
                + "distance to their neighbours)" + (strong.size() > cap ? "; at most " + cap + " ("
                + Math.round(s.excludeMaxShare() * 1000) / 10.0 + "% of the items) are excluded" : "");
        return List.of(CurationAction.of(ActionKind.EXCLUDE, true, ids, null, ids.size(), null, evidence, reason));
    }
}
