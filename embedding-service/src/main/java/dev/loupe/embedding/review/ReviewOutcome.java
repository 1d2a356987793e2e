package dev.loupe.embedding.review;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** What an item version's reviews came to: applied, or a disagreement for the team to settle. */
@Entity
@Table(name = "review_outcome")
public class ReviewOutcome extends PanacheEntityBase {

    public static final String APPLIED = "APPLIED";
    public static final String DISAGREEMENT = "DISAGREEMENT";

    @Id
    @Column(name = "outcome_id")
    public UUID outcomeId;

    @Column(name = "project_id", nullable = false)
    public UUID projectId;

    @Column(name = "item_id", nullable = false)
    public UUID itemId;

    @Column(name = "item_version", nullable = false)
    public long itemVersion;

    @Column(nullable = false)
    public String state;

    /** What applied: ACCEPT or RELABEL (to {@link #label}), KEEP or EXCLUDE; null for a disagreement. */
    public String decision;

    public String label;

    @Column(name = "previous_label", nullable = false)
    public String previousLabel;

    @Column(name = "result_version")
    public Long resultVersion;

    @Column(name = "decided_by", nullable = false)
    public String decidedBy;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;

    /** Whether this outcome settles the item at {@code version} (the version decided on, or the one it made). */
    boolean covers(long version) {
        return itemVersion == version || (resultVersion != null && resultVersion == version);
    }

    boolean applied() {
        return APPLIED.equals(state);
    }

    /** The label changed or the item was excluded. */
    boolean changed() {
        return applied() && ("EXCLUDE".equals(decision) || (label != null && !label.equals(previousLabel)));
    }

    Votes.Vote vote() {
        return new Votes.Vote(Decision.valueOf(decision), label);
    }
}
