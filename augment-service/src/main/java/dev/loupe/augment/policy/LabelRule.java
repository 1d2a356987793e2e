package dev.loupe.augment.policy;

/** What an operation does to a class's label. */
public sealed interface LabelRule {

    /** The content still shows the same class (a slightly rotated V is a V). */
    record Keep() implements LabelRule {
    }

    /** The content now shows another class (IV mirrored left-right reads VI). */
    record MapTo(String label) implements LabelRule {
    }

    /** The result shows no class, or one we cannot vouch for (VII mirrored reads IIV). */
    record Forbidden(String reason) implements LabelRule {
    }

    /**
     * Reads the policy file's shorthand: {@code keep}, {@code forbidden}, {@code forbidden: why}, {@code map-to: vi}.
     *
     * @throws IllegalArgumentException with a message naming the accepted forms
     */
    static LabelRule parse(String text) {
        String s = text.strip();
        if (s.equals("keep")) return new Keep();
        if (s.equals("forbidden")) return new Forbidden("");
        if (s.startsWith("forbidden:")) return new Forbidden(s.substring("forbidden:".length()).strip());
        if (s.startsWith("map-to:") && !s.substring("map-to:".length()).isBlank()) {
            return new MapTo(s.substring("map-to:".length()).strip());
        }
        throw new IllegalArgumentException("must be \"keep\", \"forbidden\", \"forbidden: <why>\" or \"map-to: <class>\", was \""
                + text + "\"");
    }
}
