package dev.loupe.augment.policy;

/** A policy table is malformed; {@link #field()} is the JSON path, e.g. {@code classes.iv.mirror-lr}. */
public class InvalidPolicyException extends IllegalArgumentException {

    private final String field;

    public InvalidPolicyException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
