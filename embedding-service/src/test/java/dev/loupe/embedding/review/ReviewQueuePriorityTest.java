package dev.loupe.embedding.review;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReviewQueuePriorityTest {

    private static Reason reason(ReasonKind kind, double score) {
        return new Reason(kind, score, null, "x.", null);
    }

    @Test
    void theStrongestReasonsTierAndScoreCountFullyEachOtherReasonHalf() {
        assertEquals(3.8, ReviewQueue.priority(List.of(reason(ReasonKind.LABEL_ISSUE, 0.8))), 1e-12);
        assertEquals(3.8 + 0.5 * 0.9 + 0.5 * 0.6, ReviewQueue.priority(List.of(reason(ReasonKind.OUTLIER, 0.9),
                reason(ReasonKind.LABEL_ISSUE, 0.8), reason(ReasonKind.DUPLICATE, 0.6))), 1e-12);
    }

    @Test
    void labelIssuesRankAboveMispredictionsAboveOutliersAboveDuplicates() {
        double label = ReviewQueue.priority(List.of(reason(ReasonKind.LABEL_ISSUE, 0.1)));
        double mispredicted = ReviewQueue.priority(List.of(reason(ReasonKind.MISPREDICTED, 0.99)));
        double outlier = ReviewQueue.priority(List.of(reason(ReasonKind.OUTLIER, 0.99)));
        double duplicate = ReviewQueue.priority(List.of(reason(ReasonKind.DUPLICATE, 0.99)));
        assertTrue(label > mispredicted && mispredicted > outlier && outlier > duplicate);
    }

    @Test
    void anItemWithSeveralReasonsRanksAboveItsStrongestAlone() {
        double alone = ReviewQueue.priority(List.of(reason(ReasonKind.OUTLIER, 0.5)));
        double more = ReviewQueue.priority(List.of(reason(ReasonKind.OUTLIER, 0.5), reason(ReasonKind.DUPLICATE, 0.9)));
        assertTrue(more > alone);
    }
}
