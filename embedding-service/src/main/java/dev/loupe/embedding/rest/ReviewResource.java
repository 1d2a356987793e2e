package dev.loupe.embedding.rest;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.rest.QueryParams;
import dev.loupe.embedding.review.ReviewService;
import dev.loupe.embedding.review.ReviewSettings;
import dev.loupe.embedding.review.ReviewViews.Agreement;
import dev.loupe.embedding.review.ReviewViews.Disagreements;
import dev.loupe.embedding.review.ReviewViews.QueuePage;
import dev.loupe.embedding.review.ReviewViews.ReviewRequest;
import dev.loupe.embedding.review.ReviewViews.ReviewView;
import dev.loupe.embedding.review.ReviewViews.Settings;
import dev.loupe.embedding.service.ProjectLookup;
import dev.loupe.security.Access;
import dev.loupe.security.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.UUID;

/**
 * The review queue: a project's flagged items in order of expected benefit, decisions on them by the team (k
 * reviews per item when the project asks for more than one), the disagreements and how well reviewers agree.
 */
@Path("/api")
@Tag(name = "reviews")
public class ReviewResource {

    static final int MAX_LIMIT = 200;

    private final ReviewService reviews;
    private final ProjectLookup projects;
    private final Access access;

    public ReviewResource(ReviewService reviews, ProjectLookup projects, Access access) {
        this.reviews = reviews;
        this.projects = projects;
        this.access = access;
    }

    @GET
    @Path("/projects/{id}/review-queue")
    @Operation(summary = "Flagged items in order of expected benefit (label issues, items the last evaluation got "
            + "wrong, outliers, duplicates) with their evidence, 5 same-style neighbours and the reviews so far; "
            + "items you already decided at their version are left out")
    public QueuePage queue(@RestPath UUID id,
                           @Parameter(description = "nextCursor of the previous page") @RestQuery String cursor,
                           @Parameter(description = "items per page, 1 to 200 (default 20)") @RestQuery String limit,
                           @Parameter(description = "true: ranked by the last computed findings at once when newer "
                                   + "ones are still being computed (asOf says which); default false: wait for them")
                           @RestQuery String allowStale) {
        access.require(id, Role.VIEWER);
        FieldErrors errors = new FieldErrors();
        boolean stale = QueryParams.booleanParam(allowStale, false, "allowStale", errors);
        errors.throwIfAny();
        int max = QueryParams.intParam(limit, 20, "limit", errors);
        if (!errors.isEmpty() || max < 1 || max > MAX_LIMIT) {
            throw ProblemException.badRequest("limit", "must be a whole number between 1 and " + MAX_LIMIT);
        }
        if (cursor != null && (cursor.isBlank() || cursor.length() > 200)) {
            throw ProblemException.badRequest("cursor", "not a cursor of this queue: pass nextCursor as it came");
        }
        projects.require(id);
        return reviews.queue(id, access.actor(), cursor, max, stale);
    }

    @POST
    @Path("/projects/{id}/reviews")
    @Operation(summary = "Decide on a flagged item {itemId, version, decision: ACCEPT|KEEP|RELABEL|EXCLUDE|UNSURE, "
            + "label (RELABEL only)}: recorded in your name; once the required reviews agree, the label change or "
            + "exclusion is made at the label service in your name (annotators)")
    public Response decide(@RestPath UUID id, ReviewRequest body) {
        access.require(id, Role.ANNOTATOR);
        if (access.caller().isService()) {
            throw Access.forbidden("reviews are decisions of people: sign in");
        }
        ReviewView review = reviews.decide(id, body, access.actor());
        return Response.status(201).entity(review).build();
    }

    @GET
    @Path("/projects/{id}/review-settings")
    @Operation(summary = "How many reviews an item needs before the majority applies (1 to 5, default 1)")
    public Settings settings(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        projects.require(id);
        return new Settings(reviews.reviewsRequired(id));
    }

    @PUT
    @Path("/projects/{id}/review-settings")
    @Operation(summary = "Set how many reviews an item needs {reviewsRequired: 1..5} (curators)")
    public Settings putSettings(@RestPath UUID id, Settings body) {
        access.require(id, Role.CURATOR);
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON object {reviewsRequired} is required");
        }
        Integer required = body.reviewsRequired();
        if (required == null || required < 1 || required > ReviewSettings.MAX_REVIEWS_REQUIRED) {
            throw ProblemException.unprocessable("reviewsRequired", "must be between 1 and "
                    + ReviewSettings.MAX_REVIEWS_REQUIRED);
        }
        projects.require(id);
        return new Settings(reviews.setReviewsRequired(id, required, access.actor()));
    }

    @GET
    @Path("/projects/{id}/review-disagreements")
    @Operation(summary = "Items whose reviews found no majority (a tie or a split), with every vote: for the team to "
            + "settle together (another review that makes a majority applies it)")
    public Disagreements disagreements(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        projects.require(id);
        return reviews.disagreements(id);
    }

    @GET
    @Path("/projects/{id}/review-agreement")
    @Operation(summary = "Per reviewer and per class: decisions, and the share agreeing with the outcome that applied")
    public Agreement agreement(@RestPath UUID id) {
        access.require(id, Role.VIEWER);
        projects.require(id);
        return reviews.agreement(id);
    }

}
