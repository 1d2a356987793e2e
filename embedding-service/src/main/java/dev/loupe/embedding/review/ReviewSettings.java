package dev.loupe.embedding.review;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** How many reviews an item of the project needs before the majority applies (1 when never set). */
@Entity
@Table(name = "review_settings")
public class ReviewSettings extends PanacheEntityBase {

    public static final int DEFAULT_REVIEWS_REQUIRED = 1;
    public static final int MAX_REVIEWS_REQUIRED = 5;

    @Id
    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "reviews_required", nullable = false)
    public int reviewsRequired;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    static int required(UUID projectId) {
        ReviewSettings settings = findById(projectId);
        return settings == null ? DEFAULT_REVIEWS_REQUIRED : settings.reviewsRequired;
    }
}
