package dev.loupe.dataset.curation.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.outbox.Outbox;
import dev.loupe.common.rest.FieldError;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.dataset.curation.CurationService;
import dev.loupe.dataset.config.DatasetConfig;
import dev.loupe.dataset.evaluation.Evaluation;
import dev.loupe.dataset.evaluation.EvaluationService;
import dev.loupe.events.EvaluationCancelRequested;
import dev.loupe.events.EvaluationStatus;
import dev.loupe.dataset.split.SplitService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Automatic curation runs: checked and stored here, stepped in the background by {@link CurationRunWorker} (plan,
 * apply, evaluate, compare with the best so far, for a number of rounds). One active run per project.
 */
@ApplicationScoped
public class CurationRunService {

    private static final Logger LOG = Logger.getLogger(CurationRunService.class);

    public static final int MAX_ROUNDS = 10;
    public static final int DEFAULT_ROUNDS = 3;

    /**
     * Body of a start request, all optional: the image budget and minConfidence as plans take them, rounds (1-10,
     * default 3), and each round's evaluation's epochs, repeats and seed (default: as an applied plan defaults them).
     */
    public record StartRequest(Integer budget, Integer rounds, Integer epochs, Integer repeats, Long seed,
                               Double minConfidence) {
    }

    public record Settings(int budget, int rounds, Integer epochs, Integer repeats, Long seed, double minConfidence) {
    }

    /** Mean and sample standard deviation over an evaluation's seeds (sd null for one seed). */
    public record Accuracy(double mean, Double sd, int seeds) {
    }

    /**
     * One round: its plan, the version and evaluation applying it made, the evaluation's scores, and the verdict of
     * its version against the best version before it, with the reason (also why a round stopped the run).
     */
    public record Round(int round, UUID planId, UUID versionId, UUID evaluationId, Accuracy valAccuracy,
                        Accuracy testAccuracy, String verdict, String reason) {

        Round measured(UUID version, UUID evaluation) {
            return new Round(round, planId, version, evaluation, null, null, null, reason);
        }

        Round judged(Accuracy val, Accuracy test, String verdictAgainstBest, String why) {
            return new Round(round, planId, versionId, evaluationId, val, test, verdictAgainstBest, why);
        }
    }

    /**
     * A run as the API shows it; {@code step} only while it is QUEUED or RUNNING; {@code frozeValVersion}: the version
     * the run froze the validation side at (it does so before its first plan when the side is not frozen yet, so
     * every round is scored on the same validation items), null when it was frozen already.
     */
    public record RunView(UUID runId, UUID projectId, CurationRun.Status status, CurationRun.Step step, Settings settings,
                          List<Round> rounds, UUID bestVersionId, Double bestValAccuracy, UUID frozeValVersion, String error,
                          String createdBy, Instant createdAt, Instant updatedAt, Instant finishedAt) {
    }

    private final SplitService splits;
    private final EvaluationService evaluations;
    private final CurationService plans;
    private final DatasetConfig config;
    private final ObjectMapper json;
    private final Outbox outbox;

    public CurationRunService(SplitService splits, EvaluationService evaluations, CurationService plans,
                              DatasetConfig config, ObjectMapper json, Outbox outbox) {
        this.outbox = outbox;
        this.splits = splits;
        this.evaluations = evaluations;
        this.plans = plans;
        this.config = config;
        this.json = json;
    }

    /**
     * Checks and stores a QUEUED run: 404 for an unknown project; 422 naming budget (as plans check it), rounds,
     * minConfidence, epochs or repeats (as evaluations check them), or rounds, repeats and epochs together when
     * rounds x repeats x epochs is over the training quota of one evaluation; 409 when the project has an active run.
     * Nothing is stored on a refusal.
     */
    public RunView start(UUID projectId, StartRequest request, String actor) {
        StartRequest r = request == null ? new StartRequest(null, null, null, null, null, null) : request;
        int rounds = r.rounds() == null ? DEFAULT_ROUNDS : r.rounds();
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw ProblemException.unprocessable("rounds", "must be between 1 and " + MAX_ROUNDS);
        }
        if (r.seed() != null && r.seed() < 0) {
            throw ProblemException.unprocessable("seed", "must be at least 0 (the evaluations train with seed, seed + 1, ...)");
        }
        CurationService.CreateRequest plan = plans.checked(new CurationService.CreateRequest(r.budget(), r.minConfidence()));
        int budget = plan.budget();
        double minConfidence = plan.minConfidence();
        evaluations.validate(new EvaluationService.Request(r.epochs(), r.seed(), null, r.repeats()));
        int epochs = r.epochs() == null ? config.evaluationDefaultEpochs() : r.epochs();
        int repeats = r.repeats() == null ? 1 : r.repeats();
        long training = (long) rounds * repeats * epochs;
        if (training > config.evaluationMaxTrainingEpochs()) {
            String message = "rounds x repeats x epochs = " + rounds + " x " + repeats + " x " + epochs + " = " + training
                    + " training epochs, more than the " + config.evaluationMaxTrainingEpochs() + " one evaluation may "
                    + "train (LOUPE_TRAINER_MAX_TRAINING_EPOCHS)" + (r.repeats() == null ? "; repeats counted as 1" : "");
            throw ProblemException.unprocessable(List.of(new FieldError("rounds", message),
                    new FieldError("repeats", message), new FieldError("epochs", message)));
        }
        splits.require(projectId);
        int itemsNow = QuarkusTransaction.requiringNew().call(() -> ((Number) CurationRun.getEntityManager()
                .createNativeQuery("SELECT count(*) FROM item WHERE project_id = ?1 AND NOT excluded")
                .setParameter(1, projectId).getSingleResult()).intValue());
        CurationService.checkBudgetCovers(budget, itemsNow);
        Instant now = Instant.now();
        CurationRun run = new CurationRun();
        run.runId = UUID.randomUUID();
        run.projectId = projectId;
        run.status = CurationRun.Status.QUEUED;
        run.step = CurationRun.Step.PLAN;
        run.budget = budget;
        run.rounds = rounds;
        run.epochs = r.epochs();
        run.repeats = r.repeats();
        run.seed = r.seed();
        run.minConfidence = minConfidence;
        run.roundResults = "[]";
        run.createdBy = actor;
        run.createdAt = now;
        run.updatedAt = now;
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                CurationRun active = CurationRun.find("projectId = ?1 and status in ?2", projectId, CurationRun.ACTIVE)
                        .firstResult();
                if (active != null) {
                    throw busy(projectId, active.runId);
                }
                run.persist();
                CurationRun.flush();
            });
        } catch (RuntimeException e) {
            if (causedBy(e, ConstraintViolationException.class)) {
                // another request started one between the look and the insert: the unique index refused this one
                throw busy(projectId, null);
            }
            throw e;
        }
        LOG.infof("curation run %s of project %s started by %s: %d rounds, budget %d", run.runId, projectId, actor,
                rounds, budget);
        return view(run);
    }

    public List<RunView> list(UUID projectId) {
        splits.require(projectId);
        List<CurationRun> runs = QuarkusTransaction.requiringNew().call(() ->
                CurationRun.<CurationRun>list("projectId = ?1 order by createdAt desc", projectId));
        return runs.stream().map(this::view).toList();
    }

    public RunView get(UUID runId) {
        return view(load(runId));
    }

    /** The project of a run, or 404. */
    public UUID projectOf(UUID runId) {
        return load(runId).projectId;
    }

    /**
     * Cancels a QUEUED or RUNNING run (409 for a finished one): the worker takes no further step. A plan being applied
     * finishes applying (its version and evaluation are still made); the evaluation of the round it awaits, if still
     * queued or running, is cancelled at the trainer too ({@link EvaluationCancelRequested} through the outbox, in the
     * transaction that cancels the run); the run's error says which.
     */
    public RunView cancel(UUID runId, String actor) {
        CurationRun run = QuarkusTransaction.requiringNew().call(() -> {
            CurationRun r = CurationRun.getEntityManager().find(CurationRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
            if (r == null) {
                throw ProblemException.notFound("run", runId);
            }
            if (!r.status.active()) {
                throw ProblemException.conflict("runId", "run " + runId + " is " + r.status
                        + ": only a QUEUED or RUNNING run can be cancelled");
            }
            List<Round> rounds = rounds(r);
            Round current = rounds.isEmpty() ? null : rounds.getLast();
            String inFlight = "";
            if (r.step == CurationRun.Step.APPLYING && current != null) {
                inFlight = "; plan " + current.planId() + " was being applied: it finishes and queues its evaluation";
            }
            Instant now = Instant.now();
            if (r.step == CurationRun.Step.EVALUATING && current != null && current.evaluationId() != null) {
                Evaluation evaluation = Evaluation.findById(current.evaluationId());
                if (evaluation != null && (evaluation.status == EvaluationStatus.QUEUED
                        || evaluation.status == EvaluationStatus.RUNNING)) {
                    // in this transaction: the trainer hears of it exactly when the run is CANCELLED
                    outbox.publish(new EvaluationCancelRequested(r.projectId, evaluation.versionId, evaluation.evaluationId,
                            actor, "curation run " + runId + " cancelled", now), now);
                    inFlight = "; its evaluation " + current.evaluationId() + " is cancelled at the trainer too";
                }
            }
            r.status = CurationRun.Status.CANCELLED;
            r.error = "cancelled by " + actor + " in round " + Math.max(1, rounds.size()) + " (" + r.step + ")" + inFlight;
            r.updatedAt = now;
            r.finishedAt = now;
            return r;
        });
        LOG.infof("curation run %s cancelled by %s", runId, actor);
        return view(run);
    }

    CurationRun load(UUID runId) {
        CurationRun run = QuarkusTransaction.requiringNew().call(() -> CurationRun.<CurationRun>findById(runId));
        if (run == null) {
            throw ProblemException.notFound("run", runId);
        }
        return run;
    }

    RunView view(CurationRun r) {
        return new RunView(r.runId, r.projectId, r.status, r.status.active() ? r.step : null,
                new Settings(r.budget, r.rounds, r.epochs, r.repeats, r.seed, r.minConfidence), rounds(r), r.bestVersionId,
                r.bestValMean, r.frozeValVersion, r.error, r.createdBy, r.createdAt, r.updatedAt, r.finishedAt);
    }

    List<Round> rounds(CurationRun run) {
        try {
            return new ArrayList<>(json.readValue(run.roundResults, new TypeReference<List<Round>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored run rounds unreadable", e);
        }
    }

    void rounds(CurationRun run, List<Round> rounds) {
        try {
            run.roundResults = json.writeValueAsString(rounds);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException busy(UUID projectId, UUID active) {
        return ProblemException.conflict("projectId", "project " + projectId + " already has an active curation run"
                + (active == null ? "" : " (" + active + ")") + ": await it or cancel it (POST /api/curation-runs/{id}/cancel)");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
