package dev.loupe.training;

/**
 * Called on the training thread after each epoch. To cancel a run, interrupt the training thread or give the
 * {@link Trainer} a stop condition: the trainer checks both between batches and throws
 * {@link java.util.concurrent.CancellationException}.
 */
@FunctionalInterface
public interface EpochListener {

    EpochListener NONE = p -> {
    };

    void onEpoch(EpochProgress progress);
}
