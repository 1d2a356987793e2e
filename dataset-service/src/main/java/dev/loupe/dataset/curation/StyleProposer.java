package dev.loupe.dataset.curation;

import dev.loupe.augment.api.AugmentApi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * BALANCE_STYLES: for each small style cluster the augment service suggests copies of (a ready body naming the
 * cluster's items), copies of the cluster's training items with the body's operations, as many as it suggests while
 * the budget lasts. Validation items are left out (a copy would move its parent to train), and so are items an
 * earlier action claimed: an excluded item cannot be copied, a relabelled or reviewed one is not copied under a label
 * that may change.
 */
public final class StyleProposer implements ActionProposer {

    @Override
    public List<CurationAction> propose(PlanInputs in, Budget budget) {
        if (in.suggestions() == null || in.suggestions().suggestions() == null) {
            return List.of();
        }
        Set<UUID> train = new HashSet<>();
        in.trainOriginals().values().forEach(train::addAll);
        List<CurationAction> actions = new ArrayList<>();
        for (AugmentApi.Suggestion s : in.suggestions().suggestions()) {
            List<UUID> cluster = Requests.itemIds(s.request());
            if (!"augment".equals(s.kind()) || cluster == null || cluster.isEmpty()) {
                continue;
            }
            List<UUID> onTrain = cluster.stream().filter(id -> train.contains(id) && !budget.claimed(id)).toList();
            int wanted = Requests.copies(s.request()) * onTrain.size();
            int copies = Math.min(Requests.copies(s.request()),
                    onTrain.isEmpty() ? 0 : Math.min(wanted, budget.remaining()) / onTrain.size());
            if (copies == 0) {
                continue;
            }
            int count = copies * onTrain.size();
            budget.add(count);
            Map<String, Object> request = Requests.augmentation(onTrain, s.request().get("ops"), copies,
                    in.settings().seed());
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("suggestion", s.reason());
            evidence.put("clusterItems", cluster.size());
            evidence.put("onTrain", onTrain.size());
            evidence.put("copiesPerItem", copies);
            evidence.put("suggestedNewImages", s.newImages());
            actions.add(CurationAction.of(ActionKind.BALANCE_STYLES, true, onTrain, s.label(), count, request, evidence,
                    s.reason() + ": " + copies + " copies of each of its " + onTrain.size() + " training items"));
        }
        return actions;
    }
}
