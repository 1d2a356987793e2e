package dev.loupe.embedding.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Suspected wrong labels, the confident-learning way (Northcutt et al., 2021): a class's threshold is the mean
 * out-of-fold probability of that class over the items labelled with it; an item whose probability for another
 * class reaches that class's threshold (and is the most probable such class) is counted as really belonging to
 * it. Neighbour agreement (the share of the item's nearest neighbours carrying the suggested label) is combined
 * into the confidence, so a suggestion the map agrees with ranks first.
 */
public final class LabelIssues {

    /** One suspected wrong label; {@code row} indexes the input arrays. */
    public record Issue(int row, int given, int suggested, double confidence, double selfConfidence,
                        double suggestedProbability, double neighborAgreement) {
    }

    private LabelIssues() {
    }

    /** @param neighbors each row's nearest neighbours (itself excluded) */
    public static List<Issue> find(double[][] probabilities, int[] labels, int classes, Neighbors[] neighbors) {
        double[] threshold = new double[classes];
        int[] count = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            threshold[labels[i]] += probabilities[i][labels[i]];
            count[labels[i]]++;
        }
        for (int c = 0; c < classes; c++) {
            threshold[c] = count[c] == 0 ? 1.0 : threshold[c] / count[c];
        }
        List<Issue> issues = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (probabilities[i][c] >= threshold[c] && (best < 0 || probabilities[i][c] > probabilities[i][best])) {
                    best = c;
                }
            }
            if (best < 0 || best == labels[i]) {
                continue;
            }
            double agreement = agreement(neighbors[i], labels, best);
            double confidence = 0.5 * probabilities[i][best] + 0.5 * agreement;
            issues.add(new Issue(i, labels[i], best, confidence, probabilities[i][labels[i]], probabilities[i][best], agreement));
        }
        issues.sort(Comparator.comparingDouble(Issue::confidence).reversed().thenComparingInt(Issue::row));
        return issues;
    }

    static double agreement(Neighbors neighbors, int[] labels, int label) {
        if (neighbors.size() == 0) {
            return 0;
        }
        int same = 0;
        for (int j : neighbors.index()) {
            same += labels[j] == label ? 1 : 0;
        }
        return (double) same / neighbors.size();
    }
}
