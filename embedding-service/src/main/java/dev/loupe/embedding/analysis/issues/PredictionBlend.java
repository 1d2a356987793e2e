package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.ProjectSnapshot;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A trained model's out-of-fold class probabilities per item, and how they join the embedding classifier's: where
 * the model predicted an item, its probabilities weigh {@link #MODEL_WEIGHT}, the embedding classifier's the rest;
 * elsewhere the embedding classifier's alone.
 */
public final class PredictionBlend {

    /** Weight of the trained model's probabilities against the embedding classifier's, where both exist. */
    public static final double MODEL_WEIGHT = 0.75;

    private final UUID evaluationId;
    private final List<String> modelClasses;
    private final Map<UUID, float[]> probabilities;

    /**
     * @param evaluationId  the evaluation that made the predictions (may be null)
     * @param modelClasses  the class order of each probability row
     * @param probabilities per item, one probability per model class
     */
    public PredictionBlend(UUID evaluationId, List<String> modelClasses, Map<UUID, float[]> probabilities) {
        this.evaluationId = evaluationId;
        this.modelClasses = List.copyOf(modelClasses);
        this.probabilities = probabilities;
    }

    public UUID evaluationId() {
        return evaluationId;
    }

    /**
     * The model's probabilities per row of the snapshot, re-ordered to {@link ProjectSnapshot#classes()} (a class
     * the model does not know: 0) and normalised; a null row where the model did not see the item.
     */
    public double[][] rows(ProjectSnapshot snapshot) {
        List<String> classes = snapshot.classes();
        int[] from = new int[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            from[c] = modelClasses.indexOf(classes.get(c));
        }
        double[][] rows = new double[snapshot.size()][];
        for (int i = 0; i < rows.length; i++) {
            float[] p = probabilities.get(snapshot.row(i).itemId());
            if (p == null) {
                continue;
            }
            double[] row = new double[classes.size()];
            double sum = 0;
            for (int c = 0; c < row.length; c++) {
                row[c] = from[c] < 0 ? 0 : p[from[c]];
                sum += row[c];
            }
            if (sum <= 0) {
                continue;
            }
            for (int c = 0; c < row.length; c++) {
                row[c] /= sum;
            }
            rows[i] = row;
        }
        return rows;
    }

    /** The confident-learning input: per row, the weighted mean where {@code model} has the row, else {@code embedding}. */
    public static double[][] blend(double[][] embedding, double[][] model) {
        double[][] out = new double[embedding.length][];
        for (int i = 0; i < embedding.length; i++) {
            if (model[i] == null) {
                out[i] = embedding[i];
                continue;
            }
            out[i] = new double[embedding[i].length];
            for (int c = 0; c < out[i].length; c++) {
                out[i][c] = MODEL_WEIGHT * model[i][c] + (1 - MODEL_WEIGHT) * embedding[i][c];
            }
        }
        return out;
    }
}
