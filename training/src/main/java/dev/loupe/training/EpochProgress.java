package dev.loupe.training;

import java.time.Duration;

/**
 * One finished epoch.
 *
 * @param fold          the out-of-fold fold (0-based), or -1 for a plain training run
 * @param epoch         1-based
 * @param epochs        epochs in this run
 * @param trainLoss     mean softmax cross-entropy over the epoch's training images (weights changing meanwhile, as
 *                      Keras reports it)
 * @param trainAccuracy accuracy over the epoch's training batches, in training mode
 * @param valAccuracy   validation accuracy after the epoch, in inference mode; NaN when the run has no validation
 * @param elapsed       since the run started (excluding loading the data)
 * @param best          whether this epoch's weights are now the kept ones
 */
public record EpochProgress(int fold, int epoch, int epochs, double trainLoss, double trainAccuracy,
                            double valAccuracy, Duration elapsed, boolean best) {
}
