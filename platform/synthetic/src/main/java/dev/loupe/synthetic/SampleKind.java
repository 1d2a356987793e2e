package dev.loupe.synthetic;

/** What a generated sample really is, independent of the label it was filed under. */
public enum SampleKind {
    /** Readable numeral filed under its own class. */
    CLEAN,
    /** Readable numeral filed under a plausible but wrong class. */
    MISLABELED,
    /** Not a numeral at all (blank, noise, scribbles, grid lines) yet filed under some class. */
    JUNK
}
