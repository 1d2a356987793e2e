package dev.loupe.trainer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.outbox.Outbox;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.events.EvaluationStatus;
import dev.loupe.events.ModelEvaluated;
import dev.loupe.trainer.config.TrainerConfig;
import dev.loupe.trainer.domain.TrainingRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The runs' life, each step one transaction that also puts the {@link ModelEvaluated} state it reached in the
 * outbox: queued from an event (once per run id: a replayed event changes nothing), claimed by one replica with a
 * lease renewed every epoch (a replica that dies leaves a lease that expires, and the run is taken up again from the
 * start), ended COMPLETED, FAILED or CANCELLED.
 */
@ApplicationScoped
public class RunService {

    /** A run as the API shows it. */
    public record RunView(UUID id, UUID projectId, UUID versionId, String trigger, EvaluationStatus status, int epoch, int epochs,
                          long seed, int folds, int repeats, Object metrics, List<Object> history, String error, String requestedBy,
                          int attempts, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    /** A run this replica claimed, with what it needs to train. */
    public record Claimed(UUID runId, UUID projectId, UUID versionId, int epochs, long seed, int folds, int repeats, int attempts,
                          Instant startedAt) {
    }

    private static final Logger LOG = Logger.getLogger(RunService.class);
    private static final List<EvaluationStatus> ACTIVE = List.of(EvaluationStatus.QUEUED, EvaluationStatus.RUNNING);

    public static final int MAX_EPOCHS = 1000;
    public static final int MAX_FOLDS = 20;
    public static final int MAX_REPEATS = 20;

    private final Outbox outbox;
    private final EntityManager em;
    private final ObjectMapper json;
    private final TrainerConfig config;

    public RunService(Outbox outbox, EntityManager em, ObjectMapper json, TrainerConfig config) {
        this.outbox = outbox;
        this.em = em;
        this.json = json;
        this.config = config;
    }

    void registerMetrics(@Observes StartupEvent event, MeterRegistry registry) {
        registry.gauge("loupe_trainer_queued_runs", this, r -> r.count(EvaluationStatus.QUEUED));
        registry.gauge("loupe_trainer_running_runs", this, r -> r.count(EvaluationStatus.RUNNING));
    }

    double count(EvaluationStatus status) {
        try {
            return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> TrainingRun.count("status", status));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * Queues a run unless one with this id exists (a replayed or repeated event). Epochs and seed default to the
     * configuration; values out of range are clamped to what a run can do. A requested run over a quota (more than
     * {@code max-active-runs-per-project} queued or running in its project, or more than {@code max-training-epochs}
     * epochs x (1 + folds)) is stored FAILED with {@code QUOTA_EXCEEDED: ...} instead, and never trained; automatic
     * runs of published versions are the operator's settings and count towards the first quota only.
     *
     * @return whether it was queued now
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean queue(UUID runId, UUID projectId, UUID versionId, String trigger, Integer epochs, Long seed,
                         Integer folds, String by) {
        return queue(runId, projectId, versionId, trigger, epochs, seed, folds, null, by);
    }

    /** As {@link #queue(UUID, UUID, UUID, String, Integer, Long, Integer, String)}, with {@code repeats} seeds. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean queue(UUID runId, UUID projectId, UUID versionId, String trigger, Integer epochs, Long seed,
                         Integer folds, Integer repeats, String by) {
        if (TrainingRun.findById(runId) != null) {
            return false;
        }
        Instant now = Instant.now();
        TrainingRun run = new TrainingRun();
        run.runId = runId;
        run.projectId = projectId;
        run.versionId = versionId;
        run.trigger = trigger;
        run.status = EvaluationStatus.QUEUED;
        run.epochs = Math.max(1, Math.min(MAX_EPOCHS, epochs == null || epochs < 1 ? config.epochs() : epochs));
        run.seed = seed == null ? config.seed() : seed;
        run.folds = folds == null || folds < 2 ? 0 : Math.min(MAX_FOLDS, folds);
        run.repeats = repeats == null || repeats < 1 ? 1 : Math.min(MAX_REPEATS, repeats);
        run.requestedBy = by;
        run.createdAt = now;
        run.updatedAt = now;
        String overQuota = TrainingRun.REQUESTED.equals(trigger) ? overQuota(run) : null;
        if (overQuota != null) {
            run.status = EvaluationStatus.FAILED;
            run.error = "QUOTA_EXCEEDED: " + overQuota;
            run.finishedAt = now;
            run.metrics = write(Map.of());
            LOG.warnf("Run %s of project %s refused: %s", runId, projectId, overQuota);
        }
        run.persist();
        publish(run, Map.of(), now);
        return overQuota == null;
    }

    /** Why a requested run may not be queued, or null. */
    private String overQuota(TrainingRun run) {
        long training = (long) run.repeats * run.epochs * (1 + run.folds);
        if (training > config.maxTrainingEpochs()) {
            return "repeats x epochs x (1 + folds) = " + run.repeats + " x " + run.epochs + " x " + (1 + run.folds)
                    + " = " + training
                    + " training epochs, more than the " + config.maxTrainingEpochs() + " a run may train "
                    + "(loupe.trainer.max-training-epochs)";
        }
        long active = TrainingRun.count("projectId = ?1 and status in ?2", run.projectId, ACTIVE);
        if (active >= config.maxActiveRunsPerProject()) {
            return "project " + run.projectId + " already has " + active + " evaluations queued or running, at most "
                    + config.maxActiveRunsPerProject() + " (loupe.trainer.max-active-runs-per-project): cancel one "
                    + "(POST /api/evaluations/{id}/cancel) or wait until one ends";
        }
        return null;
    }

    /**
     * Cancels a queued or running run: CANCELLED at once (with the event), never claimed or retried again; the replica
     * training it stops within a batch (this one: {@link TrainingWorker#cancel}) or an epoch (another one: its next
     * progress report finds the run is no longer RUNNING). 404 for an unknown run, 409 for one that has ended.
     */
    @Transactional
    public RunView cancel(UUID runId, String by) {
        TrainingRun run = em.find(TrainingRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null) {
            throw ProblemException.notFound("evaluation", runId);
        }
        if (!ACTIVE.contains(run.status)) {
            throw ProblemException.conflict("status", "evaluation " + runId + " is " + run.status
                    + ": only a QUEUED or RUNNING one can be cancelled");
        }
        Map<String, Object> metrics = metricsOf(run);
        metrics.put("phase", "cancelled");
        metrics.put("cancelledBy", by);
        end(run, EvaluationStatus.CANCELLED, metrics, "cancelled by " + by, Instant.now());
        LOG.infof("Run %s cancelled by %s", runId, by);
        return view(run, true);
    }

    /**
     * Cancels a run as {@link #cancel} does if it exists and is still queued or running (a cancel request that arrives
     * as an event); true when it did. An unknown or ended run is left as it is.
     */
    @Transactional
    public boolean cancelIfActive(UUID runId, String by) {
        TrainingRun run = em.find(TrainingRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null || !ACTIVE.contains(run.status)) {
            LOG.infof("Cancel of run %s by %s ignored: %s", runId, by, run == null ? "unknown here" : run.status);
            return false;
        }
        cancel(runId, by);
        return true;
    }

    /**
     * Claims the oldest queued run (or a running one whose lease expired) for this replica, or none. A run that has
     * used up its attempts fails instead.
     */
    @Transactional
    public Optional<Claimed> claim(String replica) {
        Instant now = Instant.now();
        @SuppressWarnings("unchecked")
        List<UUID> ids = em.createNativeQuery("SELECT run_id FROM training_run WHERE (status = 'QUEUED' AND "
                        + "(claimed_until IS NULL OR claimed_until < now())) OR (status = 'RUNNING' AND claimed_until < now()) "
                        + "ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED", UUID.class).getResultList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        TrainingRun run = em.find(TrainingRun.class, ids.get(0));
        if (run.attempts >= config.maxAttempts()) {
            end(run, EvaluationStatus.FAILED, metricsOf(run), "gave up after " + run.attempts + " attempts"
                    + (run.error == null ? "" : ": " + run.error), now);
            return claim(replica);
        }
        run.status = EvaluationStatus.RUNNING;
        run.claimedBy = replica;
        run.claimedUntil = now.plus(config.lease());
        run.attempts++;
        run.epoch = 0;
        run.history = null;
        run.startedAt = now;
        run.updatedAt = now;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("phase", "loading");
        metrics.put("attempt", run.attempts);
        run.metrics = write(metrics);
        publish(run, metrics, now);
        return Optional.of(new Claimed(run.runId, run.projectId, run.versionId, run.epochs, run.seed, run.folds, run.repeats,
                run.attempts, now));
    }

    /**
     * Records progress of a run this replica holds and renews its lease.
     *
     * @param epoch        the main training's epoch (kept as is during out-of-fold training)
     * @param historyEntry appended to the history, or null
     * @return false when the run is no longer this replica's (its lease expired and another took it over)
     */
    @Transactional
    public boolean progress(UUID runId, String replica, int epoch, Map<String, Object> metrics, Map<String, Object> historyEntry) {
        TrainingRun run = em.find(TrainingRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null || !EvaluationStatus.RUNNING.equals(run.status) || !replica.equals(run.claimedBy)) {
            return false;
        }
        Instant now = Instant.now();
        run.epoch = epoch;
        run.metrics = write(metrics);
        if (historyEntry != null) {
            List<Object> history = read(run.history, new TypeReference<List<Object>>() { }, new ArrayList<>());
            history.add(historyEntry);
            run.history = write(history);
        }
        run.claimedUntil = now.plus(config.lease());
        run.updatedAt = now;
        publish(run, metrics, now);
        return true;
    }

    /**
     * Renews the lease of a run this replica holds (between epochs too: an epoch of a large version can outlast a
     * lease). No event: nothing a reader could see changed.
     *
     * @return false when the run is no longer this replica's
     */
    @Transactional
    public boolean heartbeat(UUID runId, String replica) {
        return em.createQuery("update TrainingRun r set r.claimedUntil = ?1 where r.runId = ?2 and r.claimedBy = ?3 "
                        + "and r.status = ?4")
                .setParameter(1, Instant.now().plus(config.lease())).setParameter(2, runId).setParameter(3, replica)
                .setParameter(4, EvaluationStatus.RUNNING).executeUpdate() == 1;
    }

    /** Ends a run this replica holds as COMPLETED; false when it is no longer this replica's. */
    @Transactional
    public boolean complete(UUID runId, String replica, Map<String, Object> metrics, Object predictions) {
        TrainingRun run = held(runId, replica);
        if (run == null) {
            return false;
        }
        run.predictions = predictions == null ? null : write(predictions);
        end(run, EvaluationStatus.COMPLETED, metrics, null, Instant.now());
        return true;
    }

    /** Ends a run this replica holds as FAILED with the reason; false when it is no longer this replica's. */
    @Transactional
    public boolean fail(UUID runId, String replica, String error, Map<String, Object> metrics) {
        TrainingRun run = held(runId, replica);
        if (run == null) {
            return false;
        }
        end(run, EvaluationStatus.FAILED, metrics == null ? metricsOf(run) : metrics, error, Instant.now());
        return true;
    }

    /**
     * Gives a run back to the queue: after {@code delay} (a neighbour service was unavailable) or at once (this
     * replica is stopping). It stays RUNNING for everyone else, with the reason in its metrics.
     */
    @Transactional
    public void release(UUID runId, String replica, String reason, java.time.Duration delay) {
        TrainingRun run = held(runId, replica);
        if (run == null) {
            return;
        }
        Instant now = Instant.now();
        run.status = EvaluationStatus.QUEUED;
        run.claimedBy = null;
        run.claimedUntil = now.plus(delay);
        run.error = reason;
        run.updatedAt = now;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("phase", "waiting");
        metrics.put("retryAt", run.claimedUntil.toString());
        metrics.put("attempt", run.attempts);
        run.metrics = write(metrics);
        // announced as RUNNING: for the dataset service a run never goes back to QUEUED
        outbox.publish(new ModelEvaluated(run.projectId, run.versionId, run.runId, EvaluationStatus.RUNNING, run.epoch,
                run.epochs * run.repeats, metrics, reason, run.startedAt, null, now), now);
    }

    @Transactional
    public RunView get(UUID runId) {
        TrainingRun run = TrainingRun.findById(runId);
        if (run == null) {
            throw ProblemException.notFound("evaluation", runId);
        }
        return view(run, true);
    }

    /** The project of a run, or 404 (for access checks). */
    @Transactional
    public UUID projectOf(UUID runId) {
        TrainingRun run = TrainingRun.findById(runId);
        if (run == null) {
            throw ProblemException.notFound("evaluation", runId);
        }
        return run.projectId;
    }

    /** Runs of a version or a project, newest first (without their epoch history). */
    @Transactional
    public List<RunView> list(UUID versionId, UUID projectId, int limit) {
        String where = versionId != null ? "versionId = ?1" : "projectId = ?1";
        return TrainingRun.<TrainingRun>find(where + " order by createdAt desc", versionId != null ? versionId : projectId)
                .page(0, limit).list().stream().map(r -> view(r, false)).toList();
    }

    /** The stored out-of-fold predictions of a run, as JSON text. */
    @Transactional
    public String predictions(UUID runId) {
        TrainingRun run = TrainingRun.findById(runId);
        if (run == null) {
            throw ProblemException.notFound("evaluation", runId);
        }
        if (run.predictions == null) {
            throw ProblemException.notFound("predictions", "out-of-fold predictions of evaluation", runId);
        }
        return run.predictions;
    }

    private TrainingRun held(UUID runId, String replica) {
        TrainingRun run = em.find(TrainingRun.class, runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null || !EvaluationStatus.RUNNING.equals(run.status) || !replica.equals(run.claimedBy)) {
            return null;
        }
        return run;
    }

    private void end(TrainingRun run, EvaluationStatus status, Map<String, Object> metrics, String error, Instant now) {
        run.status = status;
        run.metrics = write(metrics);
        run.error = error;
        run.claimedBy = null;
        run.claimedUntil = null;
        run.finishedAt = now;
        run.updatedAt = now;
        publish(run, metrics, now);
    }

    private void publish(TrainingRun run, Map<String, Object> metrics, Instant now) {
        // epochs of all the run's main trainings (one per seed): progress counts through them in order
        outbox.publish(new ModelEvaluated(run.projectId, run.versionId, run.runId, run.status, run.epoch,
                run.epochs * run.repeats, metrics, run.error, run.startedAt, run.finishedAt, now), now);
    }

    private Map<String, Object> metricsOf(TrainingRun run) {
        return read(run.metrics, new TypeReference<Map<String, Object>>() { }, new LinkedHashMap<>());
    }

    private RunView view(TrainingRun run, boolean withHistory) {
        return new RunView(run.runId, run.projectId, run.versionId, run.trigger, run.status, run.epoch, run.epochs, run.seed,
                run.folds, run.repeats, metricsOf(run),
                withHistory ? read(run.history, new TypeReference<List<Object>>() { }, new ArrayList<>()) : null,
                run.error, run.requestedBy, run.attempts, run.createdAt, run.startedAt, run.finishedAt);
    }

    private <T> T read(String text, TypeReference<T> type, T empty) {
        if (text == null) {
            return empty;
        }
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
