package dev.loupe.embedding.review;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One reviewer's decision on one item version, with what the finding said when it was made. */
@Entity
@Table(name = "review")
public class Review extends PanacheEntityBase {

    @Id
    @Column(name = "review_id")
    public UUID reviewId;

    @Column(name = "project_id", nullable = false)
    public UUID projectId;

    @Column(name = "item_id", nullable = false)
    public UUID itemId;

    @Column(name = "item_version", nullable = false)
    public long itemVersion;

    @Column(nullable = false)
    public String reviewer;

    @Column(nullable = false)
    public String decision;

    /** The label voted for (ACCEPT, RELABEL) or kept (KEEP); null for EXCLUDE and UNSURE. */
    public String label;

    @Column(name = "given_label", nullable = false)
    public String givenLabel;

    /** Comma-separated finding kinds. */
    @Column(name = "finding_kinds", nullable = false)
    public String findingKinds;

    @Column(name = "finding_suggested_label")
    public String findingSuggestedLabel;

    @Column(name = "finding_score")
    public Double findingScore;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    Votes.Vote vote() {
        return new Votes.Vote(Decision.valueOf(decision), label);
    }
}
