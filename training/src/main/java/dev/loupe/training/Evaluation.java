package dev.loupe.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy of a model on a set of labelled images.
 *
 * @param classes   class names, the order of the confusion matrix
 * @param count     images evaluated
 * @param accuracy  correct / count (NaN for no images)
 * @param confusion {@code confusion[true][predicted]} counts
 */
public record Evaluation(List<String> classes, int count, double accuracy, int[][] confusion) {

    public Evaluation {
        classes = List.copyOf(classes);
    }

    /** From true labels and predicted class probabilities (argmax; ties go to the lower index). */
    public static Evaluation of(List<String> classes, int[] labels, float[][] probabilities) {
        int n = classes.size();
        int[][] confusion = new int[n][n];
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int predicted = argMax(probabilities[i]);
            confusion[labels[i]][predicted]++;
            if (predicted == labels[i]) {
                correct++;
            }
        }
        return new Evaluation(classes, labels.length, labels.length == 0 ? Double.NaN : (double) correct / labels.length,
                confusion);
    }

    static int argMax(float[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return best;
    }

    /** Per class: correct / images of that class (recall); null for a class with no images. */
    public Map<String, Double> perClass() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            int total = 0;
            for (int v : confusion[c]) {
                total += v;
            }
            out.put(classes.get(c), total == 0 ? null : (double) confusion[c][c] / total);
        }
        return Collections.unmodifiableMap(out);
    }
}
