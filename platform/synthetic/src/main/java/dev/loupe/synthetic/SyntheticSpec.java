package dev.loupe.synthetic;

import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What to generate.
 *
 * @param classes            class folder names; each must be a lower-case numeral written with i, v and x
 *                           (the renderer draws letter by letter, so e.g. {@code xii} works too)
 * @param perClass           images filed under each class (train + val), noise included
 * @param valFraction        share of each class that goes to {@code val}, in [0, 1)
 * @param wrongLabelFraction share of all images whose given label is wrong, in [0, 1]
 * @param junkFraction       share of all images that show no numeral, in [0, 1]
 * @param seed               everything is a pure function of the spec and this seed
 */
public record SyntheticSpec(List<String> classes, int perClass, double valFraction, double wrongLabelFraction,
                            double junkFraction, long seed) {

    /** Upper bound keeps the six-digit file index unique and the demo from filling a disk by a typo. */
    public static final int MAX_PER_CLASS = 100_000;

    private static final Pattern NUMERAL = Pattern.compile("[ivx]{1,8}");

    public static final List<String> ROMAN_I_TO_X =
            List.of("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x");

    public SyntheticSpec {
        if (classes == null || classes.isEmpty()) {
            throw new IllegalArgumentException("classes must contain at least one class");
        }
        classes = List.copyOf(classes);
        var seen = new HashSet<String>();
        for (String c : classes) {
            if (!NUMERAL.matcher(c).matches()) {
                throw new IllegalArgumentException(
                        "class '" + c + "' is not a lower-case roman numeral made of i, v and x (1-8 letters)");
            }
            if (!seen.add(c)) {
                throw new IllegalArgumentException("class '" + c + "' is listed twice");
            }
        }
        if (perClass < 1 || perClass > MAX_PER_CLASS) {
            throw new IllegalArgumentException("perClass must be between 1 and " + MAX_PER_CLASS + ", was " + perClass);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("valFraction must be in [0, 1), was " + valFraction);
        }
        if (!(wrongLabelFraction >= 0 && wrongLabelFraction <= 1)) {
            throw new IllegalArgumentException("wrongLabelFraction must be in [0, 1], was " + wrongLabelFraction);
        }
        if (!(junkFraction >= 0 && junkFraction <= 1)) {
            throw new IllegalArgumentException("junkFraction must be in [0, 1], was " + junkFraction);
        }
        if (wrongLabelFraction + junkFraction > 1) {
            throw new IllegalArgumentException("wrongLabelFraction + junkFraction must not exceed 1, was "
                    + (wrongLabelFraction + junkFraction));
        }
        if (wrongLabelFraction > 0 && classes.size() < 2) {
            throw new IllegalArgumentException("wrongLabelFraction > 0 needs at least two classes to confuse");
        }
    }

    /** The one-command demo: 1,000 images over i..x with a little label noise and junk to find. */
    public static SyntheticSpec demo() {
        return new SyntheticSpec(ROMAN_I_TO_X, 100, 0.25, 0.05, 0.02, 42L);
    }

    public int total() {
        return classes.size() * perClass;
    }

    /** Rounded half up, so the documented "round(total * fraction)" holds exactly. */
    public int mislabeledCount() {
        return (int) Math.round(total() * wrongLabelFraction);
    }

    public int junkCount() {
        return Math.min(total() - mislabeledCount(), (int) Math.round(total() * junkFraction));
    }

    public int valPerClass() {
        return (int) Math.round(perClass * valFraction);
    }
}
