package dev.loupe.embedding.analysis.issues;

import java.util.List;

/** Everything the findings of one snapshot hold, each kind ranked by its finder. */
public record FindingsReport(List<LabelIssue> labelIssues, List<Outlier> outliers, List<NearDuplicate> duplicates,
                             TrainValShift.Report shift) {
}
