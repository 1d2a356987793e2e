package dev.loupe.embedding.review;

import dev.loupe.embedding.analysis.ItemVector;
import dev.loupe.embedding.analysis.ProjectSnapshot;
import dev.loupe.embedding.analysis.issues.FindingsReport;
import dev.loupe.embedding.analysis.issues.LabelIssue;
import dev.loupe.embedding.analysis.issues.NearDuplicate;
import dev.loupe.embedding.analysis.issues.Outlier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The flagged items of a snapshot in order of expected benefit (pure: no framework, no database).
 *
 * <p>Each reason has a score s in [0, 1] (a label issue's confidence; the model's probability of the class it
 * predicted; 1 for a blank or dark page, else the robust z-score / 10 capped at 1 for an outlier; 1 - cosine
 * distance for a duplicate) and its kind a tier (label issue 3, mispredicted 2, outlier 1, duplicate 0). An item's
 * priority is {@code max(tier + s)} over its reasons plus {@code 0.5 * s} for every other reason: label issues come
 * first, strongest first, and an item with several reasons ranks above one with its strongest alone.
 */
public final class ReviewQueue {

    /** Bonus weight of each reason beyond the strongest. */
    static final double EXTRA_REASON_WEIGHT = 0.5;

    private ReviewQueue() {
    }

    /**
     * Every flagged item of the snapshot, highest priority first (ties by item id).
     *
     * @param mispredicted the last evaluation's top class per item (empty without predictions)
     * @param kept         per item, the findings kept as they are, as {@code KIND|label}: such a reason is left out
     *                     while the item's label is that label
     */
    public static List<Candidate> rank(ProjectSnapshot snapshot, FindingsReport report,
                                       Map<UUID, Misprediction> mispredicted, Map<UUID, Set<String>> kept) {
        return withoutKept(rankAll(snapshot, report, mispredicted), kept);
    }

    /**
     * Every flagged item of the snapshot with every reason, highest priority first: the part of {@link #rank} that
     * depends on the snapshot alone, so a caller can keep it for as long as the snapshot lives (at 100,000 items it
     * is most of a queue request's work).
     */
    public static List<Candidate> rankAll(ProjectSnapshot snapshot, FindingsReport report,
                                          Map<UUID, Misprediction> mispredicted) {
        Map<UUID, List<Reason>> reasons = new LinkedHashMap<>();
        for (LabelIssue issue : report.labelIssues()) {
            add(reasons, issue.itemId(), new Reason(ReasonKind.LABEL_ISSUE, clamp(issue.confidence()),
                    issue.suggestedLabel(), evidence(issue), null));
        }
        for (int i = 0; i < snapshot.size(); i++) {
            ItemVector row = snapshot.row(i);
            Misprediction m = mispredicted.get(row.itemId());
            if (m != null && !m.predicted().equals(row.label())) {
                add(reasons, row.itemId(), new Reason(ReasonKind.MISPREDICTED, clamp(m.probability()), m.predicted(),
                        String.format(Locale.ROOT, "The last evaluation's model predicted '%s' (probability %.2f) for "
                                + "this item labelled '%s'.", m.predicted(), m.probability(), row.label()), null));
            }
        }
        for (Outlier outlier : report.outliers()) {
            add(reasons, outlier.itemId(), new Reason(ReasonKind.OUTLIER, outlierScore(outlier), null, evidence(outlier),
                    null));
        }
        for (NearDuplicate pair : report.duplicates()) {
            add(reasons, pair.first(), duplicate(pair, pair.second()));
            add(reasons, pair.second(), duplicate(pair, pair.first()));
        }
        List<Candidate> result = new ArrayList<>(reasons.size());
        reasons.forEach((itemId, found) -> {
            Integer row = snapshot.rowOf(itemId);
            if (row != null) {
                result.add(candidate(itemId, snapshot.row(row).label(), found, Set.of()));
            }
        });
        result.sort(ORDER);
        return List.copyOf(result);
    }

    /**
     * {@code all} (from {@link #rankAll}) without the reasons kept as they are: an item loses those reasons, and
     * leaves the queue when none is left. Only the items with kept findings are ranked again.
     */
    public static List<Candidate> withoutKept(List<Candidate> all, Map<UUID, Set<String>> kept) {
        if (kept.isEmpty()) {
            return all;
        }
        List<Candidate> unchanged = new ArrayList<>(all.size());
        List<Candidate> changed = new ArrayList<>();
        for (Candidate c : all) {
            Set<String> keptHere = kept.get(c.itemId());
            if (keptHere == null) {
                unchanged.add(c);
            } else {
                Candidate left = candidate(c.itemId(), c.label(), c.reasons(), keptHere);
                if (left != null) {
                    changed.add(left);
                }
            }
        }
        if (changed.isEmpty()) {
            return unchanged;
        }
        changed.sort(ORDER);
        List<Candidate> merged = new ArrayList<>(unchanged.size() + changed.size());
        int i = 0;
        int j = 0;
        while (i < unchanged.size() || j < changed.size()) {
            if (j == changed.size() || i < unchanged.size() && ORDER.compare(unchanged.get(i), changed.get(j)) <= 0) {
                merged.add(unchanged.get(i++));
            } else {
                merged.add(changed.get(j++));
            }
        }
        return merged;
    }

    /** The item's reasons not kept with its label, strongest first, or null when none is left. */
    private static Candidate candidate(UUID itemId, String label, List<Reason> found, Set<String> keptHere) {
        List<Reason> open = found.stream().filter(r -> !keptHere.contains(keptKey(r.kind(), label)))
                .sorted(Comparator.comparingInt((Reason r) -> -r.kind().tier).thenComparingDouble(r -> -r.score()))
                .toList();
        if (open.isEmpty()) {
            return null;
        }
        String suggested = open.stream().filter(r -> r.suggestedLabel() != null && !r.suggestedLabel().equals(label))
                .map(Reason::suggestedLabel).findFirst().orElse(null);
        return new Candidate(itemId, label, priority(open), suggested, open);
    }

    /** Highest priority first, then by item id: the order cursors continue from. */
    public static final Comparator<Candidate> ORDER = Comparator.comparingDouble((Candidate c) -> -c.priority())
            .thenComparing(Candidate::itemId);

    /** The key of a kept finding: the kind and the label it was kept with. */
    public static String keptKey(ReasonKind kind, String label) {
        return kind.name() + "|" + label;
    }

    static double priority(List<Reason> reasons) {
        double best = Double.NEGATIVE_INFINITY;
        double bestScore = 0;
        double sum = 0;
        for (Reason r : reasons) {
            if (r.kind().tier + r.score() > best) {
                best = r.kind().tier + r.score();
                bestScore = r.score();
            }
            sum += r.score();
        }
        return best + EXTRA_REASON_WEIGHT * (sum - bestScore);
    }

    private static void add(Map<UUID, List<Reason>> reasons, UUID itemId, Reason reason) {
        reasons.computeIfAbsent(itemId, k -> new ArrayList<>()).add(reason);
    }

    private static String evidence(LabelIssue issue) {
        String text = String.format(Locale.ROOT, "Labelled '%s' but looks like '%s': %.0f%% of its nearest neighbours "
                        + "are '%s', and the classifier gives '%s' %.2f against %.2f for '%s'.", issue.givenLabel(),
                issue.suggestedLabel(), 100 * issue.neighborAgreement(), issue.suggestedLabel(), issue.suggestedLabel(),
                issue.suggestedLabelProbability(), issue.givenLabelProbability(), issue.givenLabel());
        if (issue.model() != null) {
            text += issue.model().label().equals(issue.suggestedLabel())
                    ? " The trained model agrees."
                    : " The trained model says '" + issue.model().label() + "'.";
        }
        return text;
    }

    private static String evidence(Outlier outlier) {
        return switch (outlier.reason()) {
            case BLANK -> String.format(Locale.ROOT, "A blank page: only %.1f%% of it is ink.", percent(outlier.ink()));
            case MOSTLY_DARK -> String.format(Locale.ROOT, "A mostly dark page: %.0f%% of it is ink.", percent(outlier.ink()));
            case FAR_FROM_NEIGHBOURS -> String.format(Locale.ROOT, "Far from every other image: mean distance to its "
                    + "neighbours %.3f, %.1f robust deviations above the usual.", outlier.meanNeighborDistance(),
                    outlier.robustZ());
        };
    }

    private static Reason duplicate(NearDuplicate pair, UUID other) {
        String text = pair.exact()
                ? "An exact copy of item " + other + "."
                : String.format(Locale.ROOT, "Nearly the same image as item %s (cosine distance %.4f).", other,
                pair.distance());
        if (pair.crossesSplit()) {
            text += " One is in " + pair.firstSplit() + ", the other in " + pair.secondSplit()
                    + ": a leak that flatters validation.";
        }
        return new Reason(ReasonKind.DUPLICATE, clamp(pair.score()), null, text, other);
    }

    private static double outlierScore(Outlier outlier) {
        return outlier.reason() == Outlier.Reason.FAR_FROM_NEIGHBOURS ? clamp(outlier.robustZ() / 10) : 1.0;
    }

    private static double percent(Double fraction) {
        return fraction == null ? 0 : 100 * fraction;
    }

    private static double clamp(double v) {
        return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
    }
}
