package dev.loupe.augment.policy;

/**
 * The policy forbids an operation for the class the image has at that step of the chain. Carries what a problem+json
 * answer needs: the operation, the class, the step and the policy's reason.
 */
public class ForbiddenOperationException extends IllegalArgumentException {

    private final String op;
    private final String label;
    private final int step;

    public ForbiddenOperationException(String op, String label, int step, int steps, String reason) {
        super(op + " is forbidden for class \"" + label + "\""
                + (steps > 1 ? " (operation " + (step + 1) + " of " + steps + ")" : "")
                + (reason == null || reason.isBlank() ? "" : ": " + reason)
                + "; give an explicit result label to override");
        this.op = op;
        this.label = label;
        this.step = step;
    }

    /** The policy's name of the operation, e.g. {@code mirror-lr} or {@code rotate-large}. */
    public String op() {
        return op;
    }

    /** The class the image had when the operation was to be applied (after earlier mappings in the chain). */
    public String label() {
        return label;
    }

    /** Zero-based position of the operation in the chain. */
    public int step() {
        return step;
    }
}
