package dev.loupe.embedding.analysis;

import smile.classification.LogisticRegression;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Out-of-fold predicted class probabilities of a multinomial logistic regression on the embeddings: every item
 * is scored by a model that never saw it, which is what confident learning needs.
 */
public final class OutOfFold {

    private OutOfFold() {
    }

    /**
     * @param labels class index per row, 0..classes-1
     * @return probabilities[row][class]; a class absent from a training fold gets probability 0 for that fold
     */
    public static double[][] probabilities(double[][] x, int[] labels, int classes, int folds, long seed, double lambda) {
        int n = x.length;
        int[] fold = stratifiedFolds(labels, classes, folds, seed);
        double[][] probabilities = new double[n][classes];
        for (int f = 0; f < folds; f++) {
            List<double[]> trainX = new ArrayList<>();
            List<Integer> trainY = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (fold[i] != f) {
                    trainX.add(x[i]);
                    trainY.add(labels[i]);
                }
            }
            if (trainY.stream().distinct().count() < 2) {
                continue;
            }
            LogisticRegression model = LogisticRegression.fit(trainX.toArray(double[][]::new),
                    trainY.stream().mapToInt(Integer::intValue).toArray(),
                    new LogisticRegression.Options(lambda, 1e-5, 500));
            int[] known = model.classes();
            double[] posterior = new double[known.length];
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    model.predict(x[i], posterior);
                    for (int c = 0; c < known.length; c++) {
                        probabilities[i][known[c]] = posterior[c];
                    }
                }
            }
        }
        return probabilities;
    }

    /** Assigns folds round-robin within each class after a seeded shuffle, so every fold sees every class. */
    static int[] stratifiedFolds(int[] labels, int classes, int folds, long seed) {
        Random random = new Random(seed);
        int[] fold = new int[labels.length];
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            java.util.Collections.shuffle(members, random);
            for (int j = 0; j < members.size(); j++) {
                fold[members.get(j)] = j % folds;
            }
        }
        return fold;
    }
}
