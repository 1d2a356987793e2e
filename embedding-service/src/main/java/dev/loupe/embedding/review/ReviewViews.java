package dev.loupe.embedding.review;

import dev.loupe.embedding.api.FindingsView.AsOf;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The review API's request and response records. */
public final class ReviewViews {

    private ReviewViews() {
    }

    /** What a decision came to: applied, recorded (unsure), pending (more reviews needed) or a disagreement. */
    public enum Outcome { APPLIED, RECORDED, PENDING, DISAGREEMENT }

    /**
     * A page of the review queue and the project's progress; {@code asOf} says which state of the project the
     * ranking was computed on (the items' versions and the reviews are always those of now).
     */
    public record QueuePage(UUID projectId, int reviewsRequired, Progress progress, List<QueueItem> items,
                            String nextCursor, AsOf asOf) {
    }

    /**
     * @param flagged       items with a finding or already reviewed
     * @param reviewed      items with a decided outcome
     * @param changed       items whose label changed or that were excluded by a review
     * @param open          items still in the queue
     * @param disagreements items on the disagreement list
     */
    public record Progress(int flagged, int reviewed, int changed, int open, int disagreements) {
    }

    /** A queued item: its findings, same-style neighbours and the reviews so far at this version. */
    public record QueueItem(UUID itemId, String label, long version, double priority, String suggestedLabel,
                            List<Reason> reasons, List<Neighbor> neighbors, List<ReviewView> reviews) {
    }

    /** A same-style neighbour. */
    public record Neighbor(UUID itemId, String label, double distance) {
    }

    /** A decision: {@code label} only with RELABEL; {@code version} is the item version the reviewer saw. */
    public record ReviewRequest(UUID itemId, Long version,
                                @Schema(enumeration = {"ACCEPT", "KEEP", "RELABEL", "EXCLUDE", "UNSURE"}) String decision,
                                String label) {
    }

    /** What the finding said when the decision was made. */
    public record FindingView(List<ReasonKind> kinds, String suggestedLabel, Double score) {
    }

    /** A recorded decision and what it came to. */
    public record ReviewView(UUID reviewId, UUID itemId, long version, Decision decision, String label, String by,
                             Instant at, FindingView finding, Outcome outcome) {
    }

    /** How many reviews an item needs (1 to 5). */
    public record Settings(Integer reviewsRequired) {
    }

    /** The items whose reviews found no majority, with every vote. */
    public record Disagreements(UUID projectId, List<Disagreement> items) {
    }

    public record Disagreement(UUID itemId, String label, long version, List<VoteView> votes) {
    }

    public record VoteView(String by, Decision decision, String label, Instant at) {
    }

    /** Per reviewer and per class: decisions, and the share agreeing with the outcome that applied. */
    public record Agreement(UUID projectId, List<ReviewerAgreement> reviewers, List<ClassAgreement> classes) {
    }

    /**
     * @param decisions every decision (UNSURE included)
     * @param decided   decisions on item versions whose outcome applied
     * @param agreeing  of those, the ones voting for what applied
     * @param agreement agreeing / decided, null when nothing was decided yet
     */
    public record ReviewerAgreement(String reviewer, int decisions, int decided, int agreeing, Double agreement) {
    }

    /** The same per class (the item's label when it was reviewed). */
    public record ClassAgreement(String label, int decisions, int decided, int agreeing, Double agreement) {
    }
}
