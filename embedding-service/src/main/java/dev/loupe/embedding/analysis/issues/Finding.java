package dev.loupe.embedding.analysis.issues;

import java.util.List;
import java.util.UUID;

/**
 * One data-quality finding about one or more items. Each kind has its own record and its own {@link IssueFinder};
 * the REST layer turns them into JSON.
 */
public sealed interface Finding permits LabelIssue, Outlier, NearDuplicate, FailedImage {

    /** The items the finding is about (two for a duplicate pair). */
    List<UUID> itemIds();

    /** How sure or how severe: findings of one kind are ranked by it, highest first. */
    double score();
}
