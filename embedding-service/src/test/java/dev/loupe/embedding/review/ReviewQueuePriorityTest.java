package dev.loupe.embedding.review;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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

    @Test
    void keptReasonsLowerOrRemoveTheirItemsAndTheRestKeepsItsOrder() {
        UUID a = new UUID(0, 1);
        UUID b = new UUID(0, 2);
        UUID c = new UUID(0, 3);
        UUID d = new UUID(0, 4);
        List<Candidate> all = List.of(
                candidate(a, reason(ReasonKind.LABEL_ISSUE, 0.9), reason(ReasonKind.DUPLICATE, 0.4)),
                candidate(b, reason(ReasonKind.MISPREDICTED, 0.8)),
                candidate(c, reason(ReasonKind.OUTLIER, 0.7)),
                candidate(d, reason(ReasonKind.LABEL_ISSUE, 0.5)))
                .stream().sorted(ReviewQueue.ORDER).toList();
        assertEquals(List.of(a, d, b, c), all.stream().map(Candidate::itemId).toList());
        assertEquals(all, ReviewQueue.withoutKept(all, Map.of()), "nothing kept: the same ranking");

        // a keeps its label issue (with its label 'v'): its duplicate is left, below c's outlier; d keeps all it had
        List<Candidate> left = ReviewQueue.withoutKept(all, Map.of(
                a, Set.of(ReviewQueue.keptKey(ReasonKind.LABEL_ISSUE, "v")),
                d, Set.of(ReviewQueue.keptKey(ReasonKind.LABEL_ISSUE, "v"))));
        assertEquals(List.of(b, c, a), left.stream().map(Candidate::itemId).toList());
        assertEquals(List.of(ReasonKind.DUPLICATE), left.get(2).kinds());
        assertEquals(0.4, left.get(2).priority(), 1e-12);
        // kept with another label: the reason is open again
        assertEquals(all, ReviewQueue.withoutKept(all, Map.of(a, Set.of(ReviewQueue.keptKey(ReasonKind.LABEL_ISSUE, "x")))));
    }

    private static Candidate candidate(UUID itemId, Reason... reasons) {
        return new Candidate(itemId, "v", ReviewQueue.priority(List.of(reasons)), null, List.of(reasons));
    }
}
