package dev.loupe.dataset.curation;

/** What a curation action does; {@link CurationPlanner} proposes them in the order they are applied. */
public enum ActionKind {
    /** Exclude strong outliers (auto). */
    EXCLUDE,
    /** Accept label-issue suggestions at or above the plan's confidence (auto), one action per suggested label. */
    RELABEL,
    /** Label issues below the confidence: for people (the review queue lists them); never applied by a plan. */
    REVIEW,
    /** Copies of the training items of a small style cluster (auto, an augmentation job). */
    BALANCE_STYLES,
    /** Ranged, label-keeping copies of a class's training originals (auto, an augmentation job). */
    AUGMENT,
    /** Numerals composed from the glyph library (auto, a recipe job). */
    COMPOSE
}
