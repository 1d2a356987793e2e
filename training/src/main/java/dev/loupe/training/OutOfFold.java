package dev.loupe.training;

import java.util.List;

/**
 * Out-of-fold predicted class probabilities: every item of the dataset (train and val together) predicted by the
 * model of the one fold that did not train on it.
 *
 * @param classes     the probabilities' order
 * @param k           folds
 * @param epochs      epochs each fold's model trained
 * @param predictions in the dataset's order (train items, then val items)
 */
public record OutOfFold(List<String> classes, int k, int epochs, List<Prediction> predictions) {

    public OutOfFold {
        classes = List.copyOf(classes);
        predictions = List.copyOf(predictions);
    }

    /**
     * @param id            the item id from the manifest, else the path
     * @param path          the image's path in the dataset
     * @param label         the given label's index
     * @param fold          the fold the item was held out in
     * @param probabilities softmax of the logits, one per class
     */
    public record Prediction(String id, String path, int label, int fold, float[] probabilities) {
    }

    /** The out-of-fold accuracy against the given labels. */
    public Evaluation evaluation() {
        int[] labels = predictions.stream().mapToInt(Prediction::label).toArray();
        float[][] probs = predictions.stream().map(Prediction::probabilities).toArray(float[][]::new);
        return Evaluation.of(classes, labels, probs);
    }
}
