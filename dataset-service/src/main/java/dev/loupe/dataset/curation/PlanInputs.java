package dev.loupe.dataset.curation;

import dev.loupe.augment.api.AugmentApi;
import dev.loupe.embedding.api.Finding;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Everything a plan is derived from, read once when it is made.
 *
 * @param versionId      the project's latest version (null: none yet)
 * @param evaluationId   that version's latest completed evaluation (null: none; class counts alone drive AUGMENT)
 * @param itemsNow       the project's items that are not excluded
 * @param classes        the project's classes (those with items in the split), sorted
 * @param trainCounts    per class, the items on the train side
 * @param trainOriginals per class, the original (not derived) items on the train side, by id: what copies are made of
 * @param accuracy       per class, the evaluation's validation accuracy (mean over its seeds); null without one
 * @param confusions     the evaluation's confusions (true, predicted, count summed over seeds), largest first
 * @param labelIssues    open label-issue findings, most confident first
 * @param outliers       open outlier findings, strongest first
 * @param suggestions    the augment service's suggestions (null when it could not be asked; see suggestionsStatus)
 * @param frozenVal      the items on a frozen validation side (empty when the side is not frozen): excluding one would
 *                       change what every version is compared on, so such items go to people, not out automatically
 */
public record PlanInputs(UUID projectId, UUID versionId, UUID evaluationId, int itemsNow, List<String> classes,
                         Map<String, Integer> trainCounts, Map<String, List<UUID>> trainOriginals,
                         Map<String, Double> accuracy, List<Confusion> confusions, List<Finding> labelIssues,
                         List<Finding> outliers, AugmentApi.Suggestions suggestions, String suggestionsStatus,
                         Set<UUID> frozenVal, Settings settings) {

    public PlanInputs {
        frozenVal = frozenVal == null ? Set.of() : Set.copyOf(frozenVal);
    }

    /** Off-diagonal confusion of the latest evaluation: items of {@code actual} predicted as {@code predicted}. */
    public record Confusion(String actual, String predicted, int count) {
    }

    /**
     * How the plan decides.
     *
     * @param minConfidence     label issues at or above it are relabelled automatically, below it go to review
     * @param outlierMinScore   outliers scoring at least this are excluded (robust z; blank or dark pages score 100+)
     * @param excludeMaxShare   at most this share of the items (rounded up) is excluded
     * @param maxCopiesPerItem  the augment service's limit of copies per item in one job
     * @param seed              the seed of every job the plan starts (results reproducible)
     */
    public record Settings(double minConfidence, double outlierMinScore, double excludeMaxShare, int maxCopiesPerItem,
                           long seed) {
    }
}
