package dev.loupe.dataset.curation.run;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.common.util.Causes;
import dev.loupe.common.worker.BackgroundWorker;
import dev.loupe.dataset.curation.CurationAction;
import dev.loupe.dataset.curation.CurationPlan;
import dev.loupe.dataset.curation.CurationService;
import dev.loupe.dataset.curation.PlanApplier;
import dev.loupe.dataset.evaluation.CompareService;
import dev.loupe.dataset.evaluation.Evaluation;
import dev.loupe.dataset.evaluation.SeedStats;
import dev.loupe.dataset.split.SplitService;
import dev.loupe.events.EvaluationStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Steps the active curation runs in the background: one thread looks at them every {@code poll-interval} (a started
 * or cancelled run wakes it at once) and moves each as far as it can without waiting, from the step stored with it:
 * PLAN (propose a plan as the run's creator, stop when it has no automatic action, else apply every automatic
 * action), APPLYING (await the plan: APPLIED gives the version and evaluation, FAILED fails the run) and EVALUATING
 * (await the evaluation: COMPLETED is scored and compared with the best version so far, FAILED or CANCELLED fails the
 * run). Each step runs with the run's row locked, so a cancel lands between steps and two replicas never take the
 * same step. Because the step is stored, a run RUNNING when the service starts simply continues; only a plan that was
 * being applied then is failed by {@link PlanApplier} (not resumed), and so the run fails with its reason.
 */
@ApplicationScoped
public class CurationRunWorker {

    private static final Logger LOG = Logger.getLogger(CurationRunWorker.class);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(2);
    private static final Duration MAX_ERROR_PAUSE = Duration.ofSeconds(60);
    /** Longest one step holds the run's row (proposing a plan reads the embedding and augment services). */
    private static final int STEP_TIMEOUT_SECONDS = 600;

    private final CurationRunService runs;
    private final CurationService plans;
    private final PlanApplier applier;
    private final CompareService compare;
    private final SplitService splits;
    private final BackgroundWorker worker;

    public CurationRunWorker(CurationRunService runs, CurationService plans, PlanApplier applier, CompareService compare,
                             SplitService splits, CurationRunConfig config, MeterRegistry registry) {
        this.runs = runs;
        this.splits = splits;
        this.plans = plans;
        this.applier = applier;
        this.compare = compare;
        this.worker = BackgroundWorker.builder("curation-runs", this::stepAll)
                .pollInterval(config.pollInterval())
                .backoff(ERROR_PAUSE, MAX_ERROR_PAUSE)
                .interruptOnStop()
                .metrics(registry)
                .build();
    }

    void onStart(@Observes StartupEvent event) {
        long active = QuarkusTransaction.requiringNew().call(() -> CurationRun.count("status in ?1", CurationRun.ACTIVE));
        if (active > 0) {
            LOG.infof("%d curation runs were active when the service started: they continue from their stored step", active);
        }
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.stop();
    }

    /** Looks at the active runs now. */
    public void wake() {
        worker.wake();
    }

    /** Moves every active run as far as it goes; false: the rest waits for plans or evaluations (the poll interval). */
    private boolean stepAll() {
        List<UUID> active = QuarkusTransaction.requiringNew().call(() -> CurationRun.<CurationRun>list(
                "status in ?1 order by createdAt", CurationRun.ACTIVE).stream().map(r -> r.runId).toList());
        for (UUID runId : active) {
            for (int steps = 0; steps < 10 && step(runId); steps++) {
                // a step that moved on may allow the next one at once (APPLYING -> EVALUATING)
            }
        }
        return false;
    }

    /** One step of a run with its row locked; true when it moved on. A refusal or failure fails the run with its reason. */
    boolean step(UUID runId) {
        return QuarkusTransaction.requiringNew().timeout(STEP_TIMEOUT_SECONDS).call(() -> {
            CurationRun run = CurationRun.getEntityManager().find(CurationRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
            if (run == null || !run.status.active()) {
                return false;
            }
            if (run.status == CurationRun.Status.QUEUED) {
                run.status = CurationRun.Status.RUNNING;
                run.updatedAt = Instant.now();
            }
            List<CurationRunService.Round> rounds = runs.rounds(run);
            try {
                return switch (run.step) {
                    case PLAN -> plan(run, rounds);
                    case APPLYING -> applying(run, rounds);
                    case EVALUATING -> evaluating(run, rounds);
                };
            } catch (RuntimeException e) {
                String why = e instanceof ProblemException p ? problem(p) : Causes.rootMessage(e);
                finish(run, rounds, CurationRun.Status.FAILED, "round " + Math.max(1, rounds.size()) + " (" + run.step
                        + "): " + why);
                return false;
            }
        });
    }

    private boolean plan(CurationRun run, List<CurationRunService.Round> rounds) {
        int number = rounds.size() + 1;
        if (number == 1 && run.frozeValVersion == null) {
            // every round is compared with the best before it: on one validation side, not one that moves with the data
            run.frozeValVersion = outside(() -> splits.freezeValidationIfUnfrozen(run.projectId));
            if (run.frozeValVersion != null) {
                splits.refreshNow(run.projectId);
                LOG.infof("curation run %s froze the validation side of project %s at version %s", run.runId,
                        run.projectId, run.frozeValVersion);
            }
        }
        CurationService.PlanView plan = outside(() -> plans.create(run.projectId,
                new CurationService.CreateRequest(run.budget, run.minConfidence), run.createdBy));
        if (number == 1) {
            // the first round is judged against the version the plan is based on
            run.bestVersionId = plan.basedOn().versionId();
            CurationRunService.Accuracy base = plan.basedOn().evaluationId() == null ? null
                    : accuracy(plan.basedOn().evaluationId(), "val_accuracy");
            run.bestValMean = base == null ? null : base.mean();
        }
        if (plan.actions().stream().noneMatch(CurationAction::auto)) {
            rounds.add(new CurationRunService.Round(number, plan.planId(), null, null, null, null, null, "plan "
                    + plan.number() + " has no automatic action (nothing to exclude or relabel above the confidence, no "
                    + "budget left for new images): the run stops here"));
            finish(run, rounds, CurationRun.Status.COMPLETED, null);
            return false;
        }
        outside(() -> {
            plans.apply(plan.planId(), new CurationService.ApplyRequest(run.epochs, run.repeats, run.seed, null), run.createdBy);
            applier.start(plan.planId());
            return null;
        });
        rounds.add(new CurationRunService.Round(number, plan.planId(), null, null, null, null, null, null));
        save(run, rounds, CurationRun.Step.APPLYING);
        return true;
    }

    private boolean applying(CurationRun run, List<CurationRunService.Round> rounds) {
        CurationRunService.Round current = rounds.getLast();
        CurationPlan plan = CurationPlan.findById(current.planId());
        if (plan == null) {
            throw new IllegalStateException("plan " + current.planId() + " is gone");
        }
        if (plan.status == CurationPlan.Status.FAILED) {
            finish(run, rounds, CurationRun.Status.FAILED, "round " + current.round() + ": plan " + plan.number
                    + " failed: " + plan.error);
            return false;
        }
        if (plan.status != CurationPlan.Status.APPLIED || plan.evaluationId == null) {
            return false;
        }
        rounds.set(rounds.size() - 1, current.measured(plan.versionId, plan.evaluationId));
        save(run, rounds, CurationRun.Step.EVALUATING);
        return true;
    }

    private boolean evaluating(CurationRun run, List<CurationRunService.Round> rounds) {
        CurationRunService.Round current = rounds.getLast();
        Evaluation evaluation = Evaluation.findById(current.evaluationId());
        if (evaluation == null || evaluation.status == EvaluationStatus.QUEUED || evaluation.status == EvaluationStatus.RUNNING) {
            return false;
        }
        if (evaluation.status != EvaluationStatus.COMPLETED) {
            finish(run, rounds, CurationRun.Status.FAILED, "round " + current.round() + ": evaluation "
                    + current.evaluationId() + " " + evaluation.status + (evaluation.error == null ? "" : ": " + evaluation.error));
            return false;
        }
        CurationRunService.Accuracy val = accuracy(current.evaluationId(), "val_accuracy");
        CurationRunService.Accuracy test = accuracy(current.evaluationId(), "test_accuracy");
        rounds.set(rounds.size() - 1, judge(run, current, val, test));
        if (rounds.size() >= run.rounds) {
            finish(run, rounds, CurationRun.Status.COMPLETED, null);
            return false;
        }
        save(run, rounds, CurationRun.Step.PLAN);
        return true;
    }

    /** The round's version against the best so far: a paired comparison, else the higher mean validation accuracy. */
    private CurationRunService.Round judge(CurationRun run, CurationRunService.Round current,
                                           CurationRunService.Accuracy val, CurationRunService.Accuracy test) {
        Double mean = val == null ? null : val.mean();
        if (run.bestVersionId == null) {
            run.bestVersionId = current.versionId();
            run.bestValMean = mean;
            return current.judged(val, test, null, "no version to compare with (the plan had no base version): "
                    + "this one is the best so far");
        }
        UUID best = run.bestVersionId;
        try {
            CompareService.Comparison c = outside(() -> compare.compare(current.versionId(), best));
            if (CompareService.NOT_COMPARABLE.equals(c.verdict())) {
                return unpaired(run, current, val, test, best, "the two were scored on different validation sides: "
                        + c.reason());
            }
            CompareService.Difference d = "test".equals(c.basis()) ? c.test() : c.val();
            String why = "paired comparison with version " + best + " on " + c.basis() + " over " + c.pairs() + " seed"
                    + (c.pairs() == 1 ? "" : "s") + ": difference " + round(d.difference())
                    + (d.low() == null ? " (" + c.interval() + ")" : " [" + round(d.low()) + ", " + round(d.high()) + "]")
                    + ("better".equals(c.verdict()) ? ": the new best version" : ": the best version stays");
            if ("better".equals(c.verdict())) {
                run.bestVersionId = current.versionId();
                run.bestValMean = mean;
            }
            return current.judged(val, test, c.verdict(), why);
        } catch (ProblemException notPaired) {
            return unpaired(run, current, val, test, best, notPaired.getMessage());
        }
    }

    /** Without a paired verdict (no seed pairs, or different validation sides): the higher mean, and the reason says so. */
    private static CurationRunService.Round unpaired(CurationRun run, CurationRunService.Round current,
                                                     CurationRunService.Accuracy val, CurationRunService.Accuracy test,
                                                     UUID best, String because) {
        Double mean = val == null ? null : val.mean();
        boolean higher = mean != null && (run.bestValMean == null || mean > run.bestValMean);
        String why = "no paired comparison with version " + best + " (" + because + "): kept the "
                + "version with the higher mean validation accuracy, " + (higher ? "this one (" + round(mean) + " against "
                + (run.bestValMean == null ? "none measured" : round(run.bestValMean)) + ")"
                : "version " + best + " (" + (run.bestValMean == null ? "?" : round(run.bestValMean)) + " against "
                + (mean == null ? "none measured" : round(mean)) + ")");
        if (higher) {
            run.bestVersionId = current.versionId();
            run.bestValMean = mean;
        }
        return current.judged(val, test, higher ? "higher mean (unpaired)" : "not higher (unpaired)", why);
    }

    /** Mean and spread of one column of an evaluation's seeds, or null when it has none. */
    private static CurationRunService.Accuracy accuracy(UUID evaluationId, String column) {
        @SuppressWarnings("unchecked")
        List<Number> values = CurationRun.getEntityManager().createNativeQuery("SELECT " + column
                        + " FROM evaluation_seed WHERE evaluation_id = ?1 AND " + column + " IS NOT NULL ORDER BY seed")
                .setParameter(1, evaluationId).getResultList();
        if (values.isEmpty()) {
            return null;
        }
        List<Double> v = values.stream().map(Number::doubleValue).toList();
        return new CurationRunService.Accuracy(SeedStats.mean(v), SeedStats.sd(v), v.size());
    }

    private void save(CurationRun run, List<CurationRunService.Round> rounds, CurationRun.Step step) {
        runs.rounds(run, rounds);
        run.step = step;
        run.updatedAt = Instant.now();
    }

    private void finish(CurationRun run, List<CurationRunService.Round> rounds, CurationRun.Status status, String error) {
        runs.rounds(run, rounds);
        Instant now = Instant.now();
        run.status = status;
        run.error = error;
        run.updatedAt = now;
        run.finishedAt = now;
        if (status == CurationRun.Status.FAILED) {
            LOG.warnf("curation run %s failed: %s", run.runId, error);
        } else {
            LOG.infof("curation run %s %s after %d rounds: best version %s", run.runId, status, rounds.size(), run.bestVersionId);
        }
    }

    /**
     * Calls another part of this service outside the run's transaction (they open their own), so a refusal there
     * does not spoil the lock and the run's own update.
     */
    private static <T> T outside(Callable<T> call) {
        return QuarkusTransaction.suspendingExisting().call(call);
    }

    /** A refusal as a sentence: its status, detail and the fields it names. */
    private static String problem(ProblemException p) {
        String fields = p.errors().stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("");
        return p.status() + " " + p.getMessage() + (fields.isEmpty() || fields.contains(String.valueOf(p.getMessage()))
                ? "" : " (" + fields + ")");
    }

    private static String round(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
