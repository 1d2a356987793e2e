package dev.loupe.augment.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.config.AugmentConfig;
import dev.loupe.augment.domain.AugmentJob;
import dev.loupe.augment.domain.AugmentUnit;
import dev.loupe.augment.domain.StoredGlyph;
import dev.loupe.augment.glyph.GlyphLibrary;
import dev.loupe.augment.glyph.Layout;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Operation;
import dev.loupe.augment.image.Operations;
import dev.loupe.augment.image.ParamRanges;
import dev.loupe.augment.policy.AugmentPolicy;
import dev.loupe.augment.policy.ForbiddenOperationException;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.util.Digests;
import dev.loupe.label.api.ItemView;
import dev.loupe.label.api.ItemList;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Accepts augmentation and recipe jobs: checks everything that can be checked before an image exists (operations,
 * policy, image sizes, labels, size limit), plans the job's images, and hands it to the {@link JobRunner}. A refused
 * request creates nothing; a request repeated with the same Idempotency-Key returns the first job.
 */
@ApplicationScoped
public class JobService {

    /** Progress of a job and what it made. */
    public record JobView(UUID jobId, UUID projectId, String kind, AugmentJob.Status status, int total, int done, int failed,
                          int pending, long seed, List<UUID> createdItemIds, List<Failure> failures, Object request,
                          String createdBy, Instant createdAt, Instant finishedAt) {
    }

    /** An image that could not be made, and why. */
    public record Failure(int seq, UUID parentItemId, String error) {
    }

    /** A job and whether this request created it (false: an earlier request with the same key did). */
    public record Accepted(JobView job, boolean created) {
    }

    private static final Set<String> SPLITS = Set.of("train", "val", "test", "none");
    private static final Set<String> SOURCES = Set.of("original", "augmented", "synthetic", "any");
    private static final int MAX_FAILURES_SHOWN = 100;

    private final LabelServiceClient labels;
    private final PolicyService policies;
    private final JobRunner runner;
    private final AugmentConfig config;
    private final ObjectMapper json;
    private final EntityManager em;
    private final SecureRandom random = new SecureRandom();

    public JobService(LabelServiceClient labels, PolicyService policies, JobRunner runner, AugmentConfig config,
                      ObjectMapper json, EntityManager em) {
        this.labels = labels;
        this.policies = policies;
        this.runner = runner;
        this.config = config;
        this.json = json;
        this.em = em;
    }

    public Accepted augment(UUID projectId, Requests.Augmentation request, String idempotencyKey, String actor)
            throws IOException, InterruptedException {
        if (request == null) throw ProblemException.badRequest("body", "a JSON object {itemIds | filter, ops, copiesPerItem, seed} is required");
        FieldErrors errors = new FieldErrors();
        // with ranges, the chain is checked at both ends of every range and evenly between
        List<List<Operation>> checks = new ArrayList<>();
        try {
            for (double t : ParamRanges.checkPositions(request.ops())) {
                checks.add(Operations.parseAll(ParamRanges.at(request.ops(), t)));
            }
            if (checks.getFirst().isEmpty()) errors.add("ops", "must contain at least one operation");
        } catch (InvalidOperationException e) {
            errors.add(e.parameter(), e.reason());
        }
        int copies = request.copiesPerItem() == null ? 1 : request.copiesPerItem();
        Requests.Filter filter = request.filter();
        errors.check((request.itemIds() == null) == (filter == null), "itemIds", "give either itemIds or filter, not "
                        + (filter == null ? "neither" : "both"))
                .check(request.itemIds() != null && request.itemIds().isEmpty(), "itemIds", "must not be empty")
                .check(request.itemIds() != null && request.itemIds().stream().anyMatch(java.util.Objects::isNull), "itemIds", "must not contain null")
                .check(request.itemIds() != null && new HashSet<>(request.itemIds()).size() != request.itemIds().size(),
                        "itemIds", "must not repeat an item (use copiesPerItem)")
                .check(copies < 1 || copies > config.maxCopiesPerItem(), "copiesPerItem",
                        "must be between 1 and " + config.maxCopiesPerItem() + ", was " + copies)
                .check(request.resultLabel() != null && request.resultLabel().isBlank(), "resultLabel", "must not be blank when given");
        if (filter != null) {
            errors.check(filter.split() != null && !SPLITS.contains(filter.split()), "filter.split", "must be one of " + SPLITS)
                    .check(filter.source() != null && !SOURCES.contains(filter.source()), "filter.source", "must be one of " + SOURCES);
        }
        errors.check(request.itemIds() != null && (long) request.itemIds().size() * copies > config.maxJobImages(),
                "copiesPerItem", tooLarge((long) (request.itemIds() == null ? 0 : request.itemIds().size()) * copies));
        errors.throwIfAny();

        Optional<AugmentJob> earlier = earlier(projectId, idempotencyKey);
        long seed = request.seed() != null ? request.seed() : random.nextLong();
        Requests.Augmentation normalised = new Requests.Augmentation(request.itemIds(), filter, request.ops(),
                copies, seed, request.resultLabel());
        if (earlier.isPresent()) return same(earlier.get(), normalised);
        List<String> classes = requireProject(projectId);

        List<ItemView> items = request.itemIds() != null ? byIds(projectId, request.itemIds())
                : byFilter(projectId, filter, copies);
        if ((long) items.size() * copies > config.maxJobImages()) {
            throw ProblemException.unprocessable(request.itemIds() != null ? "itemIds" : "filter", tooLarge((long) items.size() * copies));
        }
        String selector = request.itemIds() != null ? "itemIds" : "filter";
        AugmentPolicy policy = policies.current(projectId).policy();
        Map<UUID, String> resultLabels = new LinkedHashMap<>();
        Set<String> checkedSizes = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ItemView item = items.get(i);
            String where = request.itemIds() != null ? "itemIds[" + i + "]" : "filter";
            String label = null;
            for (List<Operation> ops : checks) {
                String at;
                try {
                    at = policy.resultLabel(item.label(), ops, request.resultLabel());
                } catch (ForbiddenOperationException e) {
                    throw ProblemException.unprocessable("ops[" + e.step() + "]", "\"" + e.op() + "\" is forbidden for class \""
                            + e.label() + "\" by the project's policy (" + e.getMessage() + "), e.g. for item " + item.id()
                            + "; leave the item out, narrow the range, or give resultLabel if you know the class of the result");
                }
                if (label != null && !label.equals(at)) {
                    throw ProblemException.unprocessable("ops", "the label of the result depends on where in its ranges the "
                            + "operations fall (\"" + label + "\" or \"" + at + "\" for class \"" + item.label() + "\"); narrow the ranges");
                }
                label = at;
            }
            if (!classes.contains(label)) {
                throw ProblemException.unprocessable(request.resultLabel() != null ? "resultLabel" : "ops",
                        "the result for item " + item.id() + " (class \"" + item.label() + "\") would be labelled \"" + label
                                + "\", which is not a class of the project " + classes);
            }
            resultLabels.put(item.id(), label);
            if (checkedSizes.add(item.width() + "x" + item.height())) {
                try {
                    for (List<Operation> ops : checks) Operations.checkFits(ops, item.width(), item.height());
                } catch (InvalidOperationException e) {
                    throw ProblemException.unprocessable(e.parameter(), e.reason() + " (item " + item.id() + " is "
                            + item.width() + "x" + item.height() + ")");
                }
            }
        }
        if (items.isEmpty()) throw ProblemException.unprocessable(selector, "matches no items of the project");

        List<AugmentUnit> units = new ArrayList<>(items.size() * copies);
        int seq = 0;
        for (ItemView item : items) {
            for (int c = 0; c < copies; c++) {
                AugmentUnit u = new AugmentUnit();
                u.seq = seq++;
                u.parentItemId = item.id();
                u.parentVersion = item.version();
                u.parentSha256 = item.sha256();
                u.label = resultLabels.get(item.id());
                u.seed = Seeds.of(seed, item.id(), c);
                units.add(u);
            }
        }
        return create(projectId, AugmentJob.AUGMENT, normalised, normalised, seed, idempotencyKey, units, actor);
    }

    public Accepted recipe(UUID projectId, Requests.RecipeRequest request, String idempotencyKey, String actor)
            throws IOException, InterruptedException {
        if (request == null) throw ProblemException.badRequest("body", "a JSON object {label, count, layout, seed} is required");
        FieldErrors errors = new FieldErrors();
        int count = request.count() == null ? 0 : request.count();
        errors.check(request.label() == null || request.label().isBlank(), "label", "is required")
                .check(request.count() == null, "count", "is required")
                .check(request.count() != null && (count < 1 || count > config.maxJobImages()), "count",
                        count < 1 ? "must be at least 1" : tooLarge(count))
                .check(request.glyphIds() != null && request.glyphIds().isEmpty(), "glyphIds", "must not be empty when given");
        Layout layout = Layouts.of(request.layout(), errors);
        errors.throwIfAny();
        Optional<AugmentJob> earlier = earlier(projectId, idempotencyKey);
        long seed = request.seed() != null ? request.seed() : random.nextLong();
        Requests.RecipeRequest identity = new Requests.RecipeRequest(request.label(), count, request.layout(), seed, request.glyphIds());
        if (earlier.isPresent()) return same(earlier.get(), identity);
        List<String> classes = requireProject(projectId);
        if (!classes.contains(request.label())) {
            throw ProblemException.unprocessable("label", "\"" + request.label() + "\" is not a class of the project " + classes);
        }
        List<StoredGlyph> glyphs = QuarkusTransaction.requiringNew().call(() -> library(projectId, request.glyphIds()));
        try {
            GlyphLibrary.spell(glyphs.stream().map(g -> g.symbol).distinct().toList(), request.label());
        } catch (InvalidOperationException e) {
            throw ProblemException.unprocessable(e.parameter(), e.reason());
        }
        List<UUID> glyphIds = glyphs.stream().map(g -> g.glyphId).toList();
        Requests.RecipeRequest normalised = new Requests.RecipeRequest(request.label(), count, request.layout(), seed, glyphIds);
        List<AugmentUnit> units = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            AugmentUnit u = new AugmentUnit();
            u.seq = n;
            u.label = request.label();
            u.seed = Seeds.of(seed, n);
            units.add(u);
        }
        return create(projectId, AugmentJob.RECIPE, normalised, identity, seed, idempotencyKey, units, actor);
    }

    private List<StoredGlyph> library(UUID projectId, List<UUID> glyphIds) {
        if (glyphIds == null) {
            List<StoredGlyph> all = StoredGlyph.list("projectId = ?1 order by createdAt, glyphId", projectId);
            if (all.isEmpty()) {
                throw ProblemException.unprocessable("glyphIds", "the project has no glyphs yet: cut some with POST /api/glyphs");
            }
            return all;
        }
        return GlyphService.requireAll(projectId, glyphIds);
    }

    /**
     * @param normalised what is stored and shown (defaults filled in, glyphs resolved)
     * @param identity   what a repeat with the same Idempotency-Key must match (the request as given, with its seed)
     */
    private Accepted create(UUID projectId, String kind, Object normalised, Object identity, long seed,
                            String idempotencyKey, List<AugmentUnit> units, String actor) {
        String requestJson = write(normalised);
        UUID jobId = UUID.randomUUID();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                AugmentJob job = new AugmentJob();
                job.jobId = jobId;
                job.projectId = projectId;
                job.kind = kind;
                job.request = requestJson;
                job.requestHash = hash(kind, identity);
                job.idempotencyKey = idempotencyKey;
                job.status = AugmentJob.Status.QUEUED;
                job.total = units.size();
                job.seed = seed;
                job.createdBy = actor;
                job.createdAt = Instant.now();
                job.persist();
                for (AugmentUnit u : units) {
                    u.jobId = jobId;
                    u.status = AugmentUnit.Status.PENDING;
                    em.persist(u);
                }
            });
        } catch (jakarta.persistence.PersistenceException e) {
            // the same key accepted by a concurrent request: answer with that job
            Optional<AugmentJob> winner = earlier(projectId, idempotencyKey);
            if (winner.isPresent()) return same(winner.get(), identity);
            throw e;
        }
        runner.submit(jobId);
        return new Accepted(view(jobId), true);
    }

    private Optional<AugmentJob> earlier(UUID projectId, String idempotencyKey) {
        if (idempotencyKey == null) return Optional.empty();
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            throw ProblemException.unprocessable("Idempotency-Key", "must be 1 to 200 characters");
        }
        return QuarkusTransaction.requiringNew().call(() ->
                AugmentJob.<AugmentJob>find("projectId = ?1 and idempotencyKey = ?2", projectId, idempotencyKey).firstResultOptional());
    }

    /** The earlier job for a repeated key: only if the request is the same (seed aside when it was not given). */
    private Accepted same(AugmentJob earlier, Object normalised) {
        String kind = normalised instanceof Requests.RecipeRequest ? AugmentJob.RECIPE : AugmentJob.AUGMENT;
        Object comparable = withSeed(normalised, earlier.seed);
        if (!earlier.kind.equals(kind) || !earlier.requestHash.equals(hash(kind, comparable))) {
            throw ProblemException.conflict("Idempotency-Key", "was used for a different request (job " + earlier.jobId
                    + "); use a new key for a new request");
        }
        return new Accepted(view(earlier.jobId), false);
    }

    private static Object withSeed(Object request, long seed) {
        return switch (request) {
            case Requests.Augmentation a -> new Requests.Augmentation(a.itemIds(), a.filter(), a.ops(), a.copiesPerItem(), seed, a.resultLabel());
            case Requests.RecipeRequest r -> new Requests.RecipeRequest(r.label(), r.count(), r.layout(), seed, r.glyphIds());
            default -> request;
        };
    }

    private String hash(String kind, Object identity) {
        return Digests.sha256((kind + "\n" + write(identity)).getBytes(StandardCharsets.UTF_8));
    }

    private List<ItemView> byIds(UUID projectId, List<UUID> ids) throws IOException, InterruptedException {
        List<ItemView> items = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String field = "itemIds[" + i + "]";
            UUID id = ids.get(i);
            ItemView item = labels.item(id).orElseThrow(() -> ProblemException.notFound(field, "item", id));
            if (!item.projectId().equals(projectId)) {
                throw ProblemException.unprocessable(field, "item " + item.id() + " belongs to another project");
            }
            if (item.excluded()) {
                throw ProblemException.unprocessable(field, "item " + item.id() + " is excluded; restore it first");
            }
            items.add(item);
        }
        return items;
    }

    private List<ItemView> byFilter(UUID projectId, Requests.Filter filter, int copies)
            throws IOException, InterruptedException {
        int pageSize = 1000;
        // originals unless asked otherwise: copies of copies compound their distortions
        String source = filter.source() == null ? "original" : filter.source().equals("any") ? null : filter.source();
        ItemList first = labels.items(projectId, filter.label(), filter.split(), source, 0, pageSize);
        if (first.total() * copies > config.maxJobImages()) {
            throw ProblemException.unprocessable("filter", tooLarge(first.total() * copies) + " (" + first.total()
                    + " items match)");
        }
        List<ItemView> items = new ArrayList<>(first.items());
        for (int page = 1; (long) page * pageSize < first.total(); page++) {
            items.addAll(labels.items(projectId, filter.label(), filter.split(), source, page, pageSize).items());
        }
        return items;
    }

    private List<String> requireProject(UUID projectId) throws IOException, InterruptedException {
        return labels.classes(projectId).orElseThrow(() -> ProblemException.notFound("project", projectId));
    }

    private String tooLarge(long images) {
        return "would create " + images + " images, more than the limit of " + config.maxJobImages()
                + " per job (loupe.augment.max-job-images)";
    }

    public JobView view(UUID jobId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AugmentJob job = AugmentJob.findById(jobId);
            if (job == null) throw ProblemException.notFound("job", jobId);
            List<AugmentUnit> units = AugmentUnit.list("jobId = ?1 order by seq", jobId);
            List<UUID> created = units.stream().filter(u -> u.createdItemId != null).map(u -> u.createdItemId).toList();
            List<Failure> failures = units.stream().filter(u -> u.status == AugmentUnit.Status.FAILED).limit(MAX_FAILURES_SHOWN)
                    .map(u -> new Failure(u.seq, u.parentItemId, u.error)).toList();
            int done = (int) units.stream().filter(u -> u.status == AugmentUnit.Status.DONE).count();
            int failed = (int) units.stream().filter(u -> u.status == AugmentUnit.Status.FAILED).count();
            return new JobView(job.jobId, job.projectId, job.kind, job.status, job.total, done, failed,
                    job.total - done - failed, job.seed, created, failures, read(job.request), job.createdBy, job.createdAt,
                    job.finishedAt);
        });
    }

    public List<JobView> list(UUID projectId) {
        List<UUID> ids = QuarkusTransaction.requiringNew().call(() -> AugmentJob.<AugmentJob>find(
                "projectId = ?1 order by createdAt desc", projectId).page(0, 100).list().stream().map(j -> j.jobId).toList());
        return ids.stream().map(this::view).toList();
    }

    /** Tries the failed images of a job again (same seeds and keys, so images made meanwhile are not made twice). */
    public JobView retry(UUID jobId) {
        QuarkusTransaction.requiringNew().run(() -> {
            AugmentJob job = AugmentJob.findById(jobId);
            if (job == null) throw ProblemException.notFound("job", jobId);
            if (job.status.open()) {
                throw ProblemException.conflict("status", "job " + jobId + " is still " + job.status);
            }
            em.createQuery("update AugmentUnit set status = ?2, attempts = 0, error = null where jobId = ?1 and status = ?3")
                    .setParameter(1, jobId).setParameter(2, AugmentUnit.Status.PENDING)
                    .setParameter(3, AugmentUnit.Status.FAILED).executeUpdate();
            job.status = AugmentJob.Status.QUEUED;
            job.finishedAt = null;
        });
        runner.submit(jobId);
        return view(jobId);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request not serialisable", e);
        }
    }

    private Object read(String value) {
        try {
            return json.readValue(value, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored request unreadable", e);
        }
    }
}
