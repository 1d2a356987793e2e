package dev.loupe.dataset.curation;

import dev.loupe.embedding.api.Finding;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * RELABEL: label issues whose confidence is at least {@code minConfidence} take the suggested label (one action per
 * suggested label, the largest first); REVIEW: the others go to people (the review queue lists them), with how many
 * and the most confident ones.
 */
public final class RelabelProposer implements ActionProposer {

    /** Items a REVIEW action names (the queue has them all). */
    static final int REVIEW_TOP = 20;

    @Override
    public List<CurationAction> propose(PlanInputs in, Budget budget) {
        double min = in.settings().minConfidence();
        Set<String> classes = new HashSet<>(in.classes());
        Map<String, List<Finding>> confident = new TreeMap<>();
        List<Finding> doubtful = new ArrayList<>();
        for (Finding f : in.labelIssues()) {
            String suggested = f.evidenceText(Finding.EVIDENCE_SUGGESTED_LABEL);
            if (f.itemIds().isEmpty() || suggested == null || !classes.contains(suggested)
                    || suggested.equals(f.evidenceText(Finding.EVIDENCE_GIVEN_LABEL)) || !budget.claim(f.itemIds().getFirst())) {
                continue;
            }
            if (f.score() >= min) {
                confident.computeIfAbsent(suggested, k -> new ArrayList<>()).add(f);
            } else {
                doubtful.add(f);
            }
        }
        List<CurationAction> actions = new ArrayList<>();
        confident.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                .forEach(e -> {
                    List<UUID> ids = e.getValue().stream().map(f -> f.itemIds().getFirst()).toList();
                    Map<String, Integer> from = new TreeMap<>();
                    e.getValue().forEach(f -> from.merge(String.valueOf(f.evidenceText(Finding.EVIDENCE_GIVEN_LABEL)), 1, Integer::sum));
                    Map<String, Object> evidence = new LinkedHashMap<>();
                    evidence.put("minConfidence", min);
                    evidence.put("from", from);
                    evidence.put("lowestConfidence", e.getValue().stream().mapToDouble(Finding::score).min().orElse(0));
                    evidence.put("items", e.getValue().stream().map(RelabelProposer::item).toList());
                    actions.add(CurationAction.of(ActionKind.RELABEL, true, ids, e.getKey(), ids.size(), null, evidence,
                            ids.size() + " label issues suggest \"" + e.getKey() + "\" with confidence at least " + min
                                    + ": accept the suggestion"));
                });
        if (!doubtful.isEmpty()) {
            doubtful.sort((a, b) -> Double.compare(b.score(), a.score()));
            List<Finding> top = doubtful.subList(0, Math.min(REVIEW_TOP, doubtful.size()));
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("minConfidence", min);
            evidence.put("belowMinConfidence", doubtful.size());
            evidence.put("top", top.stream().map(RelabelProposer::item).toList());
            actions.add(CurationAction.of(ActionKind.REVIEW, false, top.stream().map(f -> f.itemIds().getFirst()).toList(),
                    null, doubtful.size(), null, evidence, doubtful.size() + " label issues have a confidence below " + min
                            + ": people decide them in the review queue (GET /api/projects/" + in.projectId()
                            + "/review-queue); the most confident are named here"));
        }
        return actions;
    }

    private static Map<String, Object> item(Finding f) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("itemId", f.itemIds().getFirst());
        item.put("givenLabel", f.evidenceText(Finding.EVIDENCE_GIVEN_LABEL));
        item.put("suggestedLabel", f.evidenceText(Finding.EVIDENCE_SUGGESTED_LABEL));
        item.put("confidence", f.score());
        return item;
    }
}
