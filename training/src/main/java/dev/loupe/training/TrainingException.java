package dev.loupe.training;

/**
 * Input the trainer cannot work with. {@link #reason()} says why, so a REST layer can map it (all of them are the
 * caller's data, e.g. 422, except {@link Reason#UNREADABLE_INPUT}, which may also be an I/O failure).
 */
public class TrainingException extends RuntimeException {

    public enum Reason {
        /** The input is neither an export zip, an ImageFolder zip nor a directory with {@code train/} and {@code val/}. */
        UNREADABLE_INPUT,
        /** No training images (after skipping undecodable ones). */
        NO_TRAIN_ITEMS,
        /** No validation images: the best epoch cannot be chosen. */
        NO_VAL_ITEMS,
        /** Fewer than two classes. */
        TOO_FEW_CLASSES,
        /** The test folder's class folders are not the training classes. */
        TEST_CLASSES_DIFFER,
        /** Arguments out of range, e.g. k &lt; 2 folds. */
        BAD_ARGUMENT
    }

    private final Reason reason;

    public TrainingException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TrainingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
