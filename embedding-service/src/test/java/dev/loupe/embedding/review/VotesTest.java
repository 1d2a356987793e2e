package dev.loupe.embedding.review;

import dev.loupe.embedding.review.Votes.State;
import dev.loupe.embedding.review.Votes.Vote;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VotesTest {

    private static final Vote ACCEPT_V = new Vote(Decision.ACCEPT, "v");
    private static final Vote RELABEL_V = new Vote(Decision.RELABEL, "v");
    private static final Vote RELABEL_X = new Vote(Decision.RELABEL, "x");
    private static final Vote KEEP = new Vote(Decision.KEEP, "i");
    private static final Vote EXCLUDE = new Vote(Decision.EXCLUDE, null);
    private static final Vote UNSURE = new Vote(Decision.UNSURE, null);

    @Test
    void oneReviewAppliesWhenOneIsRequired() {
        Votes.Tally tally = Votes.tally(List.of(KEEP), 1);
        assertEquals(State.MAJORITY, tally.state());
        assertEquals(KEEP, tally.winner());
    }

    @Test
    void unsureIsNoVote() {
        assertEquals(State.PENDING, Votes.tally(List.of(UNSURE), 1).state());
        assertEquals(State.PENDING, Votes.tally(List.of(UNSURE, KEEP), 2).state());
        assertEquals(0, Votes.tally(List.of(UNSURE), 1).votes());
    }

    @Test
    void acceptAndRelabelToTheSameLabelAreOneOption() {
        Votes.Tally tally = Votes.tally(List.of(ACCEPT_V, RELABEL_V), 2);
        assertEquals(State.MAJORITY, tally.state());
        assertEquals("v", tally.winner().label());
        assertTrue(Votes.agrees(RELABEL_V, ACCEPT_V));
        assertFalse(Votes.agrees(RELABEL_X, ACCEPT_V));
        assertFalse(Votes.agrees(UNSURE, KEEP));
    }

    @Test
    void aTieOrASplitWithoutMajorityIsADisagreementUntilAMajorityForms() {
        assertEquals(State.DISAGREEMENT, Votes.tally(List.of(KEEP, EXCLUDE), 2).state());
        assertEquals(State.DISAGREEMENT, Votes.tally(List.of(KEEP, EXCLUDE, RELABEL_X), 3).state());
        assertNull(Votes.tally(List.of(KEEP, EXCLUDE), 2).winner());
        Votes.Tally settled = Votes.tally(List.of(KEEP, EXCLUDE, KEEP), 2);
        assertEquals(State.MAJORITY, settled.state());
        assertEquals(Decision.KEEP, settled.winner().decision());
    }

    @Test
    void fewerVotesThanRequiredArePending() {
        assertEquals(State.PENDING, Votes.tally(List.of(ACCEPT_V, ACCEPT_V), 3).state());
    }
}
