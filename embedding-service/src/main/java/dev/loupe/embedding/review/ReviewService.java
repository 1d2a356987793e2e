package dev.loupe.embedding.review;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.embedding.analysis.Neighbors;
import dev.loupe.embedding.analysis.ProjectSnapshot;
import dev.loupe.embedding.api.FindingsView.AsOf;
import dev.loupe.embedding.service.ProjectFindings;
import dev.loupe.embedding.client.LabelServiceClient;
import dev.loupe.embedding.domain.EmbeddedItem;
import dev.loupe.embedding.review.ReviewViews.Agreement;
import dev.loupe.embedding.review.ReviewViews.ClassAgreement;
import dev.loupe.embedding.review.ReviewViews.Disagreement;
import dev.loupe.embedding.review.ReviewViews.Disagreements;
import dev.loupe.embedding.review.ReviewViews.FindingView;
import dev.loupe.embedding.review.ReviewViews.Neighbor;
import dev.loupe.embedding.review.ReviewViews.Outcome;
import dev.loupe.embedding.review.ReviewViews.Progress;
import dev.loupe.embedding.review.ReviewViews.QueueItem;
import dev.loupe.embedding.review.ReviewViews.QueuePage;
import dev.loupe.embedding.review.ReviewViews.ReviewRequest;
import dev.loupe.embedding.review.ReviewViews.ReviewView;
import dev.loupe.embedding.review.ReviewViews.ReviewerAgreement;
import dev.loupe.embedding.review.ReviewViews.VoteView;
import dev.loupe.embedding.service.ModelPredictions;
import dev.loupe.embedding.service.ProjectAnalysis;
import dev.loupe.label.api.CallerLabelApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The review queue and its decisions: ranks a project's flagged items ({@link ReviewQueue}), records decisions per
 * reviewer and item version, counts them ({@link Votes}) and applies the outcome at the label service in the
 * deciding reviewer's name ({@link CallerLabelApi}, which forwards the reviewer's own token).
 */
@ApplicationScoped
public class ReviewService {

    private static final Logger LOG = Logger.getLogger(ReviewService.class);
    private static final ProjectSnapshot.Key<List<Candidate>> RANKED = new ProjectSnapshot.Key<>("review-ranked");
    private static final ProjectSnapshot.Key<Map<UUID, ItemNow>> ITEMS = new ProjectSnapshot.Key<>("review-items");
    static final int NEIGHBORS = 5;
    static final int MAX_LABEL = 200;
    private static final String REASON = "review";

    private final ProjectAnalysis analysis;
    private final ModelPredictions predictions;
    private final LabelServiceClient labels;
    private final CallerLabelApi asReviewer;

    public ReviewService(ProjectAnalysis analysis, ModelPredictions predictions, LabelServiceClient labels,
                         @RestClient CallerLabelApi asReviewer) {
        this.analysis = analysis;
        this.predictions = predictions;
        this.labels = labels;
        this.asReviewer = asReviewer;
    }

    /** An item as this service knows it now. */
    private record ItemNow(long version, String label, boolean excluded) {
    }

    // ---------------------------------------------------------------- the queue

    /** A page of the queue for {@code reviewer} (items they already decided at this version are left out). */
    public QueuePage queue(UUID projectId, String reviewer, String cursor, int limit, boolean allowStale) {
        Position after = cursor == null ? null : Position.decode(cursor);
        analysis.checkModelPredictions(projectId);
        ProjectSnapshot snapshot = analysis.snapshot(projectId);
        // the ranking and the neighbours come from the snapshot the findings are of; the items' versions, labels and
        // exclusions and the reviews are those of now
        ProjectFindings.Latest findings = analysis.findings(snapshot, allowStale);
        ProjectSnapshot basis = findings.basis();
        List<Candidate> all = candidates(projectId, basis);
        // every change of an item's version, label or exclusion makes a new snapshot, so its items are kept with it
        Map<UUID, ItemNow> items = snapshot.derived(ITEMS, s -> items(projectId));
        List<ReviewOutcome> outcomes = ReviewOutcome.list("projectId", projectId);
        List<Review> reviews = Review.list("projectId", projectId);
        Map<UUID, List<ReviewOutcome>> outcomesByItem = outcomes.stream()
                .collect(Collectors.groupingBy(o -> o.itemId));

        List<Candidate> open = new ArrayList<>();
        for (Candidate c : all) {
            ItemNow item = items.get(c.itemId());
            if (item != null && !item.excluded() && !decidedAt(outcomesByItem.get(c.itemId()), item.version())) {
                open.add(c);
            }
        }
        Map<UUID, List<Review>> current = new HashMap<>();
        for (Review r : reviews) {
            ItemNow item = items.get(r.itemId);
            if (item != null && item.version() == r.itemVersion) {
                current.computeIfAbsent(r.itemId, k -> new ArrayList<>()).add(r);
            }
        }
        Set<UUID> flagged = new HashSet<>();
        all.forEach(c -> flagged.add(c.itemId()));
        reviews.forEach(r -> flagged.add(r.itemId));
        outcomes.forEach(o -> flagged.add(o.itemId));
        Set<UUID> reviewed = new HashSet<>();
        Set<UUID> changed = new HashSet<>();
        Set<UUID> disagreements = new HashSet<>();
        for (ReviewOutcome o : outcomes) {
            if (o.applied()) {
                reviewed.add(o.itemId);
                if (o.changed()) {
                    changed.add(o.itemId);
                }
            } else {
                ItemNow item = items.get(o.itemId);
                if (item != null && !item.excluded() && o.itemVersion == item.version()) {
                    disagreements.add(o.itemId);
                }
            }
        }
        Progress progress = new Progress(flagged.size(), reviewed.size(), changed.size(), open.size(), disagreements.size());

        List<QueueItem> page = new ArrayList<>();
        String next = null;
        for (Candidate c : open) {
            if (after != null && ReviewQueue.ORDER.compare(c, after.asCandidate()) <= 0) {
                continue;
            }
            List<Review> here = current.getOrDefault(c.itemId(), List.of());
            if (here.stream().anyMatch(r -> r.reviewer.equals(reviewer))) {
                continue;
            }
            if (page.size() == limit) {
                next = new Position(page.getLast().priority(), page.getLast().itemId()).encode();
                break;
            }
            ItemNow item = items.get(c.itemId());
            page.add(new QueueItem(c.itemId(), c.label(), item.version(), c.priority(), c.suggestedLabel(), c.reasons(),
                    neighbors(basis, c.itemId()), here.stream().sorted(Comparator.comparing((Review r) -> r.createdAt))
                    .map(r -> view(r, null)).toList()));
        }
        return new QueuePage(projectId, ReviewSettings.required(projectId), progress, page, next,
                new AsOf(basis.takenAt(), findings.current(), findings.refreshing()));
    }

    /** The ranking of the snapshot is kept with it (it is most of the work); kept findings change without a new one. */
    private List<Candidate> candidates(UUID projectId, ProjectSnapshot snapshot) {
        List<Candidate> all = snapshot.derived(RANKED, s -> {
            Map<UUID, Misprediction> mispredicted = predictions.load(projectId)
                    .map(set -> Misprediction.topClasses(set.summary().classes(), set.probabilities())).orElse(Map.of());
            return ReviewQueue.rankAll(s, analysis.findings(s), mispredicted);
        });
        return ReviewQueue.withoutKept(all, kept(projectId));
    }

    /** The item's nearest neighbours from the snapshot's k-NN graph (the findings built it already): no scan. */
    private static List<Neighbor> neighbors(ProjectSnapshot snapshot, UUID itemId) {
        Integer row = snapshot.rowOf(itemId);
        if (row == null || snapshot.size() < 2) {
            return List.of();
        }
        Neighbors near = snapshot.graph()[row];
        List<Neighbor> result = new ArrayList<>(Math.min(NEIGHBORS, near.size()));
        for (int j = 0; j < near.size() && j < NEIGHBORS; j++) {
            var other = snapshot.row(near.index()[j]);
            result.add(new Neighbor(other.itemId(), other.label(), near.distance()[j]));
        }
        return result;
    }

    /** Where a page ended: the last item's priority and id, as an opaque cursor. */
    record Position(double priority, UUID itemId) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("q1:" + priority + ":" + itemId).getBytes(StandardCharsets.UTF_8));
        }

        Candidate asCandidate() {
            return new Candidate(itemId, null, priority, null, List.of());
        }

        static Position decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                String[] parts = text.split(":");
                if (parts.length != 3 || !parts[0].equals("q1")) {
                    throw new IllegalArgumentException(text);
                }
                double priority = Double.parseDouble(parts[1]);
                if (!Double.isFinite(priority)) {
                    throw new IllegalArgumentException(text);
                }
                return new Position(priority, UUID.fromString(parts[2]));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("cursor", "not a cursor of this queue: pass nextCursor as it came");
            }
        }
    }

    // ---------------------------------------------------------------- decisions

    /**
     * Records a decision and, when it completes the required reviews with a majority, applies it at the label
     * service in the reviewer's name. Bad input is refused before anything is recorded; a refusal by the label
     * service rolls the decision back.
     */
    @Transactional
    public ReviewView decide(UUID projectId, ReviewRequest body, String reviewer) {
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON object {itemId, version, decision, label?} is required");
        }
        Decision decision = Decision.parse(body.decision());
        FieldErrors errors = new FieldErrors();
        errors.check(body.itemId() == null, "itemId", "is required")
                .check(body.version() == null, "version", "is required (the item version you reviewed)")
                .check(body.version() != null && body.version() < 1, "version", "must be 1 or more")
                .check(body.decision() == null, "decision", "is required: ACCEPT, KEEP, RELABEL, EXCLUDE or UNSURE")
                .check(body.decision() != null && decision == null, "decision",
                        "must be ACCEPT, KEEP, RELABEL, EXCLUDE or UNSURE")
                .check(decision == Decision.RELABEL && (body.label() == null || body.label().isBlank()), "label",
                        "is required with RELABEL")
                .check(decision != null && decision != Decision.RELABEL && body.label() != null, "label",
                        "only RELABEL takes a label (ACCEPT takes the suggested one)")
                .check(body.label() != null && body.label().length() > MAX_LABEL, "label",
                        "must be at most " + MAX_LABEL + " characters");
        errors.throwIfAny();
        EmbeddedItem item = EmbeddedItem.findById(body.itemId());
        if (item == null || !projectId.equals(item.projectId)) {
            throw ProblemException.notFound("item", body.itemId());
        }
        // one decision per item at a time: the count and what it applies must see every vote before it
        EmbeddedItem.getEntityManager().createNativeQuery(
                        "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?1)) AS locked")
                .setParameter(1, body.itemId().getMostSignificantBits() ^ body.itemId().getLeastSignificantBits())
                .getSingleResult();
        EmbeddedItem.getEntityManager().refresh(item);
        if (item.excluded) {
            throw ProblemException.conflict("itemId", "item " + item.itemId + " is excluded");
        }
        if (item.version != body.version()) {
            throw ProblemException.conflict("version", "stale: item " + item.itemId + " is at version " + item.version
                    + ", not " + body.version());
        }
        List<ReviewOutcome> outcomes = ReviewOutcome.list("itemId", item.itemId);
        ReviewOutcome settled = settledAt(outcomes, item.version);
        if (settled != null) {
            throw ProblemException.conflict("version", "item " + item.itemId + " was already decided at version "
                    + item.version + " (" + settled.decision + ")");
        }
        ProjectSnapshot snapshot = analysis.snapshot(projectId);
        Optional<Candidate> finding = candidates(projectId, snapshot).stream()
                .filter(c -> c.itemId().equals(item.itemId)).findFirst();
        String suggested = finding.map(Candidate::suggestedLabel).orElse(null);
        if (decision == Decision.ACCEPT && suggested == null) {
            throw ProblemException.unprocessable("decision", "item " + item.itemId
                    + " has no suggested label to accept: use RELABEL with a label, KEEP or EXCLUDE");
        }
        if (decision == Decision.RELABEL) {
            List<String> classes = classes(projectId, snapshot);
            if (!classes.contains(body.label())) {
                throw ProblemException.unprocessable("label", "'" + body.label() + "' is not a class of the project "
                        + classes);
            }
            if (body.label().equals(item.label)) {
                throw ProblemException.unprocessable("label", "'" + body.label()
                        + "' is the item's label already: KEEP keeps it");
            }
        }

        Review.delete("itemId = ?1 and itemVersion = ?2 and reviewer = ?3", item.itemId, item.version, reviewer);
        Review.flush();
        Review review = new Review();
        review.reviewId = UUID.randomUUID();
        review.projectId = projectId;
        review.itemId = item.itemId;
        review.itemVersion = item.version;
        review.reviewer = reviewer;
        review.decision = decision.name();
        review.label = switch (decision) {
            case ACCEPT -> suggested;
            case RELABEL -> body.label();
            case KEEP -> item.label;
            case EXCLUDE, UNSURE -> null;
        };
        review.givenLabel = item.label;
        review.findingKinds = finding.map(c -> c.kinds().stream().map(Enum::name).collect(Collectors.joining(",")))
                .orElse("");
        review.findingSuggestedLabel = suggested;
        review.findingScore = finding.map(Candidate::score).orElse(null);
        review.createdAt = Instant.now();
        review.persist();

        List<Review> votes = Review.list("itemId = ?1 and itemVersion = ?2", item.itemId, item.version);
        Votes.Tally tally = Votes.tally(votes.stream().map(Review::vote).toList(), ReviewSettings.required(projectId));
        ReviewOutcome disagreement = outcomes.stream().filter(o -> o.itemVersion == item.version).findFirst().orElse(null);
        Outcome outcome;
        switch (tally.state()) {
            case PENDING -> {
                if (disagreement != null) {
                    disagreement.delete();
                }
                outcome = decision == Decision.UNSURE ? Outcome.RECORDED : Outcome.PENDING;
            }
            case DISAGREEMENT -> {
                ReviewOutcome o = disagreement != null ? disagreement : newOutcome(item, reviewer);
                o.state = ReviewOutcome.DISAGREEMENT;
                o.decidedBy = reviewer;
                o.decidedAt = Instant.now();
                o.persist();
                outcome = Outcome.DISAGREEMENT;
            }
            default -> {
                ReviewOutcome o = disagreement != null ? disagreement : newOutcome(item, reviewer);
                apply(o, item, tally.winner(), finding.orElse(null), reviewer);
                o.persist();
                outcome = Outcome.APPLIED;
            }
        }
        LOG.infof("review %s of item %s v%d by %s: %s -> %s", review.reviewId, item.itemId, item.version, reviewer,
                decision, outcome);
        return view(review, outcome);
    }

    private void apply(ReviewOutcome o, EmbeddedItem item, Votes.Vote winner, Candidate finding, String reviewer) {
        o.state = ReviewOutcome.APPLIED;
        o.decision = winner.decision().name();
        o.decidedBy = reviewer;
        o.decidedAt = Instant.now();
        o.previousLabel = item.label;
        String etag = IfMatch.etag(item.version);
        try {
            switch (winner.decision()) {
                case ACCEPT, RELABEL -> {
                    o.label = winner.label();
                    o.resultVersion = asReviewer.relabel(item.itemId, etag,
                            new CallerLabelApi.LabelRequest(winner.label(), REASON)).version();
                }
                case EXCLUDE -> {
                    o.label = null;
                    o.resultVersion = asReviewer.exclude(item.itemId, etag, REASON).version();
                }
                case KEEP -> {
                    o.label = item.label;
                    o.resultVersion = null;
                    if (finding != null) {
                        for (ReasonKind kind : finding.kinds()) {
                            EmbeddedItem.getEntityManager().createNativeQuery("INSERT INTO review_kept_finding "
                                            + "(project_id, item_id, kind, label) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")
                                    .setParameter(1, item.projectId).setParameter(2, item.itemId)
                                    .setParameter(3, kind.name()).setParameter(4, item.label).executeUpdate();
                        }
                    }
                }
                case UNSURE -> throw new IllegalStateException("UNSURE is no vote");
            }
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            throw switch (status) {
                case 409, 412 -> ProblemException.conflict("version", "item " + item.itemId
                        + " changed at the label service since version " + item.version);
                case 404 -> ProblemException.notFound("item", item.itemId);
                case 401, 403 -> new ProblemException(403, "Forbidden", "the label service refused the change in your "
                        + "name (" + status + ")", List.of());
                case 400, 422 -> ProblemException.unprocessable("label", "the label service refused '" + winner.label()
                        + "' (" + status + ")");
                default -> new ProblemException(502, "Bad Gateway", "the label service answered " + status, List.of());
            };
        } catch (ProcessingException e) {
            throw new ProblemException(503, "Service Unavailable", "cannot reach the label service: " + e.getMessage(),
                    List.of());
        }
    }

    private static ReviewOutcome newOutcome(EmbeddedItem item, String reviewer) {
        ReviewOutcome o = new ReviewOutcome();
        o.outcomeId = UUID.randomUUID();
        o.projectId = item.projectId;
        o.itemId = item.itemId;
        o.itemVersion = item.version;
        o.previousLabel = item.label;
        o.decidedBy = reviewer;
        o.decidedAt = Instant.now();
        return o;
    }

    private List<String> classes(UUID projectId, ProjectSnapshot snapshot) {
        try {
            List<String> classes = labels.classes(projectId).orElse(List.of());
            return classes == null || classes.isEmpty() ? snapshot.classes() : classes;
        } catch (IOException e) {
            throw new ProblemException(503, "Service Unavailable", "cannot ask the label service for the classes of "
                    + "project " + projectId + ": " + e.getMessage(), List.of());
        }
    }

    // ---------------------------------------------------------------- settings, disagreements, agreement

    public int reviewsRequired(UUID projectId) {
        return ReviewSettings.required(projectId);
    }

    @Transactional
    public int setReviewsRequired(UUID projectId, int required, String by) {
        ReviewSettings settings = ReviewSettings.findById(projectId);
        if (settings == null) {
            settings = new ReviewSettings();
            settings.projectId = projectId;
        }
        settings.reviewsRequired = required;
        settings.updatedBy = by;
        settings.updatedAt = Instant.now();
        settings.persist();
        return required;
    }

    public Disagreements disagreements(UUID projectId) {
        Map<UUID, ItemNow> items = items(projectId);
        List<Disagreement> result = new ArrayList<>();
        for (ReviewOutcome o : ReviewOutcome.<ReviewOutcome>list("projectId = ?1 and state = ?2 order by decidedAt",
                projectId, ReviewOutcome.DISAGREEMENT)) {
            ItemNow item = items.get(o.itemId);
            if (item == null || item.excluded() || item.version() != o.itemVersion) {
                continue;
            }
            List<VoteView> votes = Review.<Review>list("itemId = ?1 and itemVersion = ?2 order by createdAt", o.itemId,
                    o.itemVersion).stream().map(r -> new VoteView(r.reviewer, Decision.valueOf(r.decision),
                    r.label, r.createdAt)).toList();
            result.add(new Disagreement(o.itemId, item.label(), o.itemVersion, votes));
        }
        return new Disagreements(projectId, result);
    }

    public Agreement agreement(UUID projectId) {
        Map<String, ReviewOutcome> applied = new HashMap<>();
        for (ReviewOutcome o : ReviewOutcome.<ReviewOutcome>list("projectId = ?1 and state = ?2", projectId,
                ReviewOutcome.APPLIED)) {
            applied.put(o.itemId + "@" + o.itemVersion, o);
        }
        Map<String, int[]> byReviewer = new TreeMap<>();
        Map<String, int[]> byClass = new TreeMap<>();
        for (Review r : Review.<Review>list("projectId", projectId)) {
            ReviewOutcome o = applied.get(r.itemId + "@" + r.itemVersion);
            for (int[] counts : List.of(byReviewer.computeIfAbsent(r.reviewer, k -> new int[3]),
                    byClass.computeIfAbsent(r.givenLabel, k -> new int[3]))) {
                counts[0]++;
                if (o != null && !Decision.UNSURE.name().equals(r.decision)) {
                    counts[1]++;
                    if (Votes.agrees(r.vote(), o.vote())) {
                        counts[2]++;
                    }
                }
            }
        }
        List<ReviewerAgreement> reviewers = byReviewer.entrySet().stream().map(e -> new ReviewerAgreement(e.getKey(),
                e.getValue()[0], e.getValue()[1], e.getValue()[2], share(e.getValue()))).toList();
        List<ClassAgreement> classes = byClass.entrySet().stream().map(e -> new ClassAgreement(e.getKey(),
                e.getValue()[0], e.getValue()[1], e.getValue()[2], share(e.getValue()))).toList();
        return new Agreement(projectId, reviewers, classes);
    }

    private static Double share(int[] counts) {
        return counts[1] == 0 ? null : (double) counts[2] / counts[1];
    }

    // ---------------------------------------------------------------- helpers

    /** The applied outcome that settles the item at this version (decided on it, or made it), or null. */
    private static ReviewOutcome settledAt(List<ReviewOutcome> outcomes, long version) {
        return outcomes == null ? null
                : outcomes.stream().filter(o -> o.applied() && o.covers(version)).findFirst().orElse(null);
    }

    /** Whether the item left the queue at this version: an outcome applied, or its reviews disagree. */
    private static boolean decidedAt(List<ReviewOutcome> outcomes, long version) {
        return outcomes != null && outcomes.stream().anyMatch(o -> o.applied() ? o.covers(version) : o.itemVersion == version);
    }

    private static Map<UUID, ItemNow> items(UUID projectId) {
        Map<UUID, ItemNow> items = new HashMap<>();
        for (Object[] row : EmbeddedItem.getEntityManager().createQuery("select e.itemId, e.version, e.label, e.excluded "
                + "from EmbeddedItem e where e.projectId = ?1", Object[].class).setParameter(1, projectId).getResultList()) {
            items.put((UUID) row[0], new ItemNow((Long) row[1], (String) row[2], (Boolean) row[3]));
        }
        return items;
    }

    private static Map<UUID, Set<String>> kept(UUID projectId) {
        Map<UUID, Set<String>> kept = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = EmbeddedItem.getEntityManager().createNativeQuery(
                "SELECT item_id, kind, label FROM review_kept_finding WHERE project_id = ?1")
                .setParameter(1, projectId).getResultList();
        for (Object[] row : rows) {
            kept.computeIfAbsent((UUID) row[0], k -> new HashSet<>())
                    .add(ReviewQueue.keptKey(ReasonKind.valueOf((String) row[1]), (String) row[2]));
        }
        return kept;
    }

    private static ReviewView view(Review r, Outcome outcome) {
        List<ReasonKind> kinds = r.findingKinds.isEmpty() ? List.of()
                : java.util.Arrays.stream(r.findingKinds.split(",")).map(ReasonKind::valueOf).toList();
        return new ReviewView(r.reviewId, r.itemId, r.itemVersion, Decision.valueOf(r.decision), r.label, r.reviewer,
                r.createdAt, new FindingView(kinds, r.findingSuggestedLabel, r.findingScore), outcome);
    }
}
