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
     * Rows a fold's model trains on at most: above it, a seeded sample of each class in proportion (at least
     * {@link #MIN_PER_CLASS} of a class, or all it has). A logistic regression on a few hundred dimensions has learnt
     * what it will from 20,000 rows; at 100,000 items this cuts the findings' fits from minutes to about a quarter.
     * Every row is still scored by a model that never saw it.
     */
    public static final int MAX_TRAIN_ROWS = 20_000;
    static final int MIN_PER_CLASS = 50;

    /**
     * @param labels class index per row, 0..classes-1
     * @return probabilities[row][class]; a class absent from a training fold gets probability 0 for that fold
     */
    public static double[][] probabilities(double[][] x, int[] labels, int classes, int folds, long seed, double lambda) {
        int n = x.length;
        int[] fold = stratifiedFolds(labels, classes, folds, seed);
        double[][] probabilities = new double[n][classes];
        Random sampler = new Random(seed);
        for (int f = 0; f < folds; f++) {
            List<double[]> trainX = new ArrayList<>();
            List<Integer> trainY = new ArrayList<>();
            for (int i : trainingRows(fold, f, labels, classes, sampler)) {
                trainX.add(x[i]);
                trainY.add(labels[i]);
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

    /** The rows outside fold {@code f}, sampled per class down to about {@link #MAX_TRAIN_ROWS}. */
    static List<Integer> trainingRows(int[] fold, int f, int[] labels, int classes, Random sampler) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        int total = 0;
        for (int i = 0; i < fold.length; i++) {
            if (fold[i] != f) {
                byClass.get(labels[i]).add(i);
                total++;
            }
        }
        List<Integer> rows = new ArrayList<>(Math.min(total, MAX_TRAIN_ROWS + classes * MIN_PER_CLASS));
        double share = Math.min(1.0, MAX_TRAIN_ROWS / (double) Math.max(1, total));
        for (List<Integer> members : byClass) {
            int keep = Math.min(members.size(), Math.max(MIN_PER_CLASS, (int) Math.ceil(members.size() * share)));
            if (keep < members.size()) {
                java.util.Collections.shuffle(members, sampler);
            }
            rows.addAll(members.subList(0, keep));
        }
        rows.sort(null);
        return rows;
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
