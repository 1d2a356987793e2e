package dev.loupe.dataset.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.outbox.Outbox;
import dev.loupe.common.rest.FieldError;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.dataset.config.DatasetConfig;
import dev.loupe.dataset.version.DatasetVersion;
import dev.loupe.dataset.split.SplitService;
import dev.loupe.events.EvaluationRequested;
import dev.loupe.events.EvaluationStatus;
import dev.loupe.events.ModelEvaluated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Evaluations of the reference model per version: requested here (the trainer takes the request from Kafka), reported
 * by the trainer as {@link ModelEvaluated} states and recorded as they come.
 */
@ApplicationScoped
public class EvaluationService {

    /**
     * An evaluation as the API shows it; {@code evaluationSet}: what it is scored on (the version's val side, whether
     * frozen, and whether a test folder scored it too), so scores on different sets are not taken for comparable.
     */
    public record EvaluationView(UUID id, UUID versionId, EvaluationStatus status, int epoch, int epochs, Object metrics,
                                 String error, String requestedBy, Instant createdAt, Instant startedAt,
                                 Instant finishedAt, Object summary, EvaluationSets.EvaluationSet evaluationSet) {
    }

    /**
     * Body of a request, all optional: epochs and seed default to the trainer's configuration; folds (2-20) also asks
     * for out-of-fold predictions, handed to the embedding service's label-issue finder; repeats (1-20, default 1)
     * trains once per seed (seed, seed + 1, ...) and reports every seed's results.
     */
    public record Request(Integer epochs, Long seed, Integer folds, Integer repeats) {
    }

    public static final int MAX_EPOCHS = 1000;
    public static final int MAX_FOLDS = 20;
    public static final int MAX_REPEATS = 20;

    private static final List<EvaluationStatus> ACTIVE = List.of(EvaluationStatus.QUEUED, EvaluationStatus.RUNNING);

    private final Outbox outbox;
    private final SplitService splits;
    private final ObjectMapper json;
    private final DatasetConfig config;
    private final EvaluationSets sets;

    public EvaluationService(Outbox outbox, SplitService splits, ObjectMapper json, DatasetConfig config,
                             EvaluationSets sets) {
        this.outbox = outbox;
        this.splits = splits;
        this.json = json;
        this.config = config;
        this.sets = sets;
    }

    /**
     * Queues an evaluation; 404 for an unknown version, 422 for a version without validation items or a request over
     * the training budget (epochs x (1 + folds)), 429 when the project already has its quota of evaluations queued or
     * running; nothing is queued then.
     */
    @Transactional
    public EvaluationView request(UUID versionId, Request request, String actor) {
        validate(request);
        DatasetVersion version = DatasetVersion.findById(versionId);
        if (version == null) {
            throw ProblemException.notFound("version", versionId);
        }
        Map<String, Map<String, Integer>> counts = splits.counts(version.counts);
        int val = counts.getOrDefault("val", Map.of()).values().stream().mapToInt(Integer::intValue).sum();
        if (val == 0) {
            throw ProblemException.unprocessable("versionId", "version " + version.name + " has no validation items: "
                    + "the model could not be scored");
        }
        long active = Evaluation.count("projectId = ?1 and status in ?2", version.projectId, ACTIVE);
        if (active >= config.evaluationMaxActivePerProject()) {
            String message = "the version's project already has " + active + " evaluations queued or running, at most "
                    + config.evaluationMaxActivePerProject() + ": wait until one ends or cancel one at the trainer service "
                    + "(POST /api/evaluations/{id}/cancel)";
            throw new ProblemException(429, "Too many requests", message, List.of(new FieldError("versionId", message)));
        }
        Instant now = Instant.now();
        Evaluation e = new Evaluation();
        e.evaluationId = UUID.randomUUID();
        e.projectId = version.projectId;
        e.versionId = versionId;
        e.status = EvaluationStatus.QUEUED;
        e.epochs = request == null || request.epochs() == null ? 0 : request.epochs();
        e.requestedBy = actor;
        e.createdAt = now;
        e.updatedAt = now;
        e.persist();
        outbox.publish(new EvaluationRequested(version.projectId, versionId, e.evaluationId,
                request == null ? null : request.epochs(), request == null ? null : request.seed(),
                request == null ? null : request.folds(), request == null ? null : request.repeats(), actor, now), now);
        return view(e, sets.valSide(versionId));
    }

    /**
     * 422 naming the field for epochs, folds or repeats out of range, or a run over the training budget; curation plans
     * check their apply request with it before anything runs.
     */
    public void validate(Request request) {
        FieldErrors errors = new FieldErrors();
        if (request != null) {
            errors.check(request.epochs() != null && (request.epochs() < 1 || request.epochs() > MAX_EPOCHS), "epochs",
                    "must be between 1 and " + MAX_EPOCHS);
            errors.check(request.folds() != null && request.folds() != 0 && (request.folds() < 2 || request.folds() > MAX_FOLDS),
                    "folds", "must be 0 (none) or between 2 and " + MAX_FOLDS);
            errors.check(request.repeats() != null && (request.repeats() < 1 || request.repeats() > MAX_REPEATS),
                    "repeats", "must be between 1 and " + MAX_REPEATS);
        }
        errors.throwIfAny();
        checkBudget(request);
    }

    /**
     * 422 naming epochs (and folds) when the run would train more than the budget: the main training's epochs plus
     * the same again per fold.
     */
    private void checkBudget(Request request) {
        int epochs = request == null || request.epochs() == null ? config.evaluationDefaultEpochs() : request.epochs();
        int folds = request == null || request.folds() == null || request.folds() < 2 ? 0 : request.folds();
        int repeats = request == null || request.repeats() == null ? 1 : request.repeats();
        long training = (long) repeats * epochs * (1 + folds);
        int max = config.evaluationMaxTrainingEpochs();
        if (training > max) {
            String message = (repeats > 1 ? "repeats x " : "") + "epochs x (1 + folds) = "
                    + (repeats > 1 ? repeats + " x " : "") + epochs + " x " + (1 + folds) + " = " + training
                    + " training epochs, more than the " + max + " an evaluation may train";
            List<FieldError> errors = new java.util.ArrayList<>(List.of(new FieldError("epochs", message)));
            if (folds > 0) {
                errors.add(new FieldError("folds", message));
            }
            if (repeats > 1) {
                errors.add(new FieldError("repeats", message));
            }
            throw ProblemException.unprocessable(errors);
        }
    }

    /** Records a state the trainer reported; an older state arriving late never replaces a newer one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(ModelEvaluated event) {
        Evaluation e = Evaluation.findById(event.evaluationId());
        boolean isNew = e == null;
        if (isNew) {
            // one the trainer started by itself (a published version), or whose request this replica has not seen
            e = new Evaluation();
            e.evaluationId = event.evaluationId();
            e.projectId = event.projectId();
            e.versionId = event.versionId();
            e.createdAt = event.at();
        } else if (event.status().isBefore(e.status) || (event.status() == e.status && event.epoch() < e.epoch)) {
            return;
        }
        e.status = event.status();
        e.epoch = event.epoch();
        e.epochs = event.epochs();
        e.metrics = write(event.metrics());
        e.error = event.error();
        e.startedAt = event.startedAt();
        e.finishedAt = event.finishedAt();
        e.updatedAt = event.at();
        if (isNew) {
            e.persist();
        }
        if (event.status() == EvaluationStatus.COMPLETED) {
            storeSeeds(e, event.metrics());
        }
    }

    /** Keeps every seed's results of a completed evaluation (once: a redelivered state replaces them). */
    @SuppressWarnings("unchecked")
    private void storeSeeds(Evaluation e, Object metrics) {
        List<SeedResult> seeds = metrics instanceof Map<?, ?> m ? SeedResult.fromMetrics((Map<String, Object>) m) : List.of();
        var em = Evaluation.getEntityManager();
        em.flush();
        em.unwrap(org.hibernate.Session.class).doWork(c -> {
            try (var delete = c.prepareStatement("DELETE FROM evaluation_seed WHERE evaluation_id = ?")) {
                delete.setObject(1, e.evaluationId);
                delete.executeUpdate();
            }
            try (var insert = c.prepareStatement("INSERT INTO evaluation_seed (evaluation_id, project_id, version_id, "
                    + "seed, val_accuracy, test_accuracy, classes, per_class, confusion, test_per_class, test_confusion, "
                    + "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                java.util.Set<Long> seen = new java.util.HashSet<>();
                for (SeedResult r : seeds) {
                    if (!seen.add(r.seed())) {
                        continue;
                    }
                    insert.setObject(1, e.evaluationId);
                    insert.setObject(2, e.projectId);
                    insert.setObject(3, e.versionId);
                    insert.setLong(4, r.seed());
                    insert.setDouble(5, r.valAccuracy());
                    insert.setObject(6, r.testAccuracy(), java.sql.Types.DOUBLE);
                    insert.setString(7, write(r.classes()));
                    insert.setString(8, write(r.perClass()));
                    insert.setString(9, write(r.confusion()));
                    insert.setString(10, write(r.testPerClass()));
                    insert.setString(11, write(r.testConfusion()));
                    insert.setObject(12, java.sql.Timestamp.from(e.finishedAt == null ? e.updatedAt : e.finishedAt));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    @Transactional
    public List<EvaluationView> list(UUID versionId) {
        if (DatasetVersion.findById(versionId) == null) {
            throw ProblemException.notFound("version", versionId);
        }
        EvaluationSets.ValSide side = sets.valSide(versionId);
        return Evaluation.<Evaluation>list("versionId = ?1 order by createdAt desc", versionId).stream()
                .map(e -> view(e, side)).toList();
    }

    private EvaluationView view(Evaluation e, EvaluationSets.ValSide side) {
        Object metrics = null;
        try {
            metrics = e.metrics == null ? Map.of() : json.readValue(e.metrics, Object.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored metrics unreadable", ex);
        }
        Object summary = null;
        if (e.status == EvaluationStatus.COMPLETED && metrics instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            List<SeedResult> seeds = SeedResult.fromMetrics((Map<String, Object>) m);
            summary = seeds.isEmpty() ? null : SeedResult.summary(seeds);
        }
        return new EvaluationView(e.evaluationId, e.versionId, e.status, e.epoch, e.epochs, metrics, e.error,
                e.requestedBy, e.createdAt, e.startedAt, e.finishedAt, summary, EvaluationSets.of(side, metrics));
    }

    private String write(Object value) {
        try {
            return value == null ? null : json.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
