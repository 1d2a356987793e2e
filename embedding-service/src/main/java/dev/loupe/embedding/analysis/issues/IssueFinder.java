package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.ProjectSnapshot;

import java.util.List;

/**
 * Finds one kind of issue in a project's snapshot (one class per kind, like cleanlab's issue managers). Pure:
 * settings come in through the constructor, and the same snapshot gives the same findings.
 */
public interface IssueFinder<F extends Finding> {

    /** The findings, most important first. */
    List<F> find(ProjectSnapshot snapshot);
}
