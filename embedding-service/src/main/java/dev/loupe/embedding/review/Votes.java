package dev.loupe.embedding.review;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counting the reviews of one item version (pure). A vote is what a decision asks for: a label (ACCEPT and RELABEL
 * to the same label are one vote for it), keeping the label, or excluding; UNSURE is no vote. Once at least
 * {@code required} votes are in, the option with more than half of them applies; otherwise the item is a
 * disagreement (a tie, or no majority), until more votes or changed votes make a majority.
 */
public final class Votes {

    /** What one review votes for; {@code label} is null for KEEP and EXCLUDE. */
    public record Vote(Decision decision, String label) {

        /** ACCEPT and RELABEL count as the label they ask for. */
        String option() {
            return switch (decision) {
                case ACCEPT, RELABEL -> "label:" + label;
                case KEEP -> "keep";
                case EXCLUDE -> "exclude";
                case UNSURE -> null;
            };
        }
    }

    /** The state of an item version's reviews. */
    public enum State { PENDING, MAJORITY, DISAGREEMENT }

    /** @param winner one of the winning votes (MAJORITY only) */
    public record Tally(State state, int votes, Vote winner) {
    }

    private Votes() {
    }

    public static Tally tally(List<Vote> reviews, int required) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Vote> examples = new HashMap<>();
        int votes = 0;
        for (Vote vote : reviews) {
            String option = vote.option();
            if (option != null) {
                votes++;
                counts.merge(option, 1, Integer::sum);
                examples.putIfAbsent(option, vote);
            }
        }
        if (votes < required) {
            return new Tally(State.PENDING, votes, null);
        }
        int all = votes;
        Optional<String> majority = counts.entrySet().stream().filter(e -> 2 * e.getValue() > all)
                .map(Map.Entry::getKey).findFirst();
        return majority.map(o -> new Tally(State.MAJORITY, all, examples.get(o)))
                .orElseGet(() -> new Tally(State.DISAGREEMENT, all, null));
    }

    /** Whether a review agrees with what applied. */
    public static boolean agrees(Vote review, Vote applied) {
        return review.option() != null && review.option().equals(applied.option());
    }
}
