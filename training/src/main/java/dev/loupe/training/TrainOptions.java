package dev.loupe.training;

/**
 * How to train. {@link #defaults()} is the competition's {@code train.py}: 100 epochs, batch 8, Adam 1e-4, seed 123.
 *
 * @param epochs       epochs to train (the best one on validation accuracy is kept)
 * @param seed         seeds the weight initialisation (PyTorch's generator) and the per-epoch shuffles
 * @param threads      PyTorch intra-op threads; 0 leaves PyTorch's default (one per core). The first trainer in a
 *                     JVM also fixes inter-op threads to 1 (PyTorch allows that only before its first parallel work)
 * @param batchSize    training batch size
 * @param learningRate Adam's learning rate (betas 0.9/0.999 and epsilon 1e-7 as Keras)
 */
public record TrainOptions(int epochs, long seed, int threads, int batchSize, float learningRate) {

    public static final int DEFAULT_EPOCHS = 100;
    public static final long DEFAULT_SEED = 123;

    public TrainOptions {
        if (epochs < 1) {
            throw new TrainingException(TrainingException.Reason.BAD_ARGUMENT, "epochs must be >= 1, got " + epochs);
        }
        if (threads < 0) {
            throw new TrainingException(TrainingException.Reason.BAD_ARGUMENT, "threads must be >= 0, got " + threads);
        }
        if (batchSize < 1) {
            throw new TrainingException(TrainingException.Reason.BAD_ARGUMENT, "batch size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new TrainingException(TrainingException.Reason.BAD_ARGUMENT, "learning rate must be > 0, got " + learningRate);
        }
    }

    public static TrainOptions defaults() {
        return new TrainOptions(DEFAULT_EPOCHS, DEFAULT_SEED, 0, 8, 1e-4f);
    }

    public TrainOptions withEpochs(int n) {
        return new TrainOptions(n, seed, threads, batchSize, learningRate);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(epochs, s, threads, batchSize, learningRate);
    }

    public TrainOptions withThreads(int t) {
        return new TrainOptions(epochs, seed, t, batchSize, learningRate);
    }
}
