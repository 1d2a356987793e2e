package dev.loupe.trainer.service;

import dev.loupe.common.worker.BackgroundWorker;
import dev.loupe.embedding.api.PredictionSet;
import dev.loupe.training.Dataset;
import dev.loupe.training.DatasetLoader;
import dev.loupe.training.EpochProgress;
import dev.loupe.training.OutOfFold;
import dev.loupe.training.TrainOptions;
import dev.loupe.training.TrainResult;
import dev.loupe.training.Trainer;
import dev.loupe.training.TrainingException;
import dev.loupe.trainer.client.DatasetServiceClient;
import dev.loupe.trainer.client.EmbeddingServiceClient;
import dev.loupe.trainer.config.TrainerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Trains one run at a time on one thread (PyTorch's generator and thread pool are per process): claims the oldest
 * queued run, downloads the version's ImageFolder export, trains the fixed model with the run's epochs and seed,
 * reports every epoch, scores the best epoch's weights on the validation side and the test folder, optionally
 * computes out-of-fold predictions and hands them to the embedding service, and ends the run.
 *
 * <p>Failures that are the data's (no validation item, one class, an export without images) fail the run at once with
 * the reason; a neighbour service that cannot be reached puts the run back in the queue for a later attempt.
 */
@ApplicationScoped
public class TrainingWorker {

    private static final Logger LOG = Logger.getLogger(TrainingWorker.class);
    static final String MODEL = "dcai-fixed-model";
    private static final int MAX_LISTED_SKIPPED = 20;

    private final RunService runs;
    private final TestFolders testFolders;
    private final DatasetServiceClient datasets;
    private final EmbeddingServiceClient embeddings;
    private final TrainerConfig config;
    private final String replica;
    private final BackgroundWorker worker;
    /** The run this replica trains now, and whether its lease was lost (another replica took it over). */
    private volatile UUID current;
    private volatile boolean lost;
    /** The run last cancelled through this replica: if it trains here, the trainer stops before its next batch. */
    private volatile UUID cancelled;
    private final java.util.concurrent.ScheduledExecutorService heartbeat =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("loupe-training-lease").daemon().factory());
    private final Counter completed;
    private final Counter failed;
    private final Counter epochs;
    private final Timer runTime;

    public TrainingWorker(RunService runs, TestFolders testFolders, DatasetServiceClient datasets, EmbeddingServiceClient embeddings,
                          TrainerConfig config, MeterRegistry registry) {
        this.runs = runs;
        this.testFolders = testFolders;
        this.datasets = datasets;
        this.embeddings = embeddings;
        this.config = config;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "trainer";
        }
        this.replica = host + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.completed = registry.counter("loupe_trainer_runs_total", "outcome", "completed");
        this.failed = registry.counter("loupe_trainer_runs_total", "outcome", "failed");
        this.epochs = registry.counter("loupe_trainer_epochs_total");
        this.runTime = registry.timer("loupe_trainer_run_seconds");
        // a stop interrupts the run in progress, which gives it back to the queue (see train)
        this.worker = BackgroundWorker.builder("trainer", this::trainNext)
                .pollInterval(config.pollInterval())
                .backoff(config.pollInterval(), max(config.pollInterval(), Duration.ofSeconds(30)))
                .interruptOnStop()
                .stopTimeout(Duration.ofSeconds(20))
                .metrics(registry)
                .build();
    }

    void onStart(@Observes StartupEvent event) {
        worker.start();
        long every = Math.max(1000, config.lease().toMillis() / 4);
        heartbeat.scheduleWithFixedDelay(this::renewLease, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        heartbeat.shutdownNow();
        worker.stop();
    }

    private void renewLease() {
        UUID run = current;
        if (run == null) {
            return;
        }
        try {
            if (!runs.heartbeat(run, replica) && run.equals(current)) {
                lost = true;
            }
        } catch (RuntimeException e) {
            LOG.warnf("Cannot renew the lease of run %s: %s", run, e.getMessage());
        }
    }

    /**
     * Stops training {@code runId} if this replica trains it now (it was just cancelled: {@link RunService#cancel}); the
     * worker then takes the next queued run.
     */
    public void cancel(UUID runId) {
        cancelled = runId; // also when the run is being claimed right now: it stops before its first batch
        if (runId.equals(current)) {
            LOG.infof("Run %s: stopping its training (cancelled)", runId);
        }
    }

    /** Looks for work now (after an event queued a run). */
    public void wake() {
        worker.wake();
    }

    /** Trains the oldest queued run, if any; true when one ran (another may be queued). */
    private boolean trainNext() {
        Optional<RunService.Claimed> claimed = runs.claim(replica);
        claimed.ifPresent(this::execute);
        return claimed.isPresent();
    }

    private void execute(RunService.Claimed run) {
        lost = false;
        current = run.runId();
        try {
            train(run);
        } finally {
            current = null;
        }
    }

    private void train(RunService.Claimed run) {
        long started = System.nanoTime();
        Path zip = Path.of(config.workDir()).resolve("run-" + run.runId() + ".zip");
        Map<String, Object> metrics = new LinkedHashMap<>();
        try {
            LOG.infof("Run %s: version %s, %d epochs, seed %d%s%s (attempt %d)", run.runId(), run.versionId(), run.epochs(),
                    run.seed(), run.repeats() > 1 ? " (" + run.repeats() + " seeds)" : "",
                    run.folds() > 0 ? ", " + run.folds() + " folds" : "", run.attempts());
            if (!datasets.downloadExport(run.versionId(), zip)) {
                fail(run, "version " + run.versionId() + " does not exist at the dataset service", metrics);
                return;
            }
            Dataset data = DatasetLoader.load(zip);
            Files.deleteIfExists(zip);
            metrics.put("classes", data.classes());
            metrics.put("trainItems", data.train().size());
            metrics.put("valItems", data.val().size());
            metrics.put("skippedImages", data.skippedImages());
            metrics.put("skipped", data.skipped().stream().limit(MAX_LISTED_SKIPPED)
                    .map(s -> Map.of("path", s.path(), "reason", String.valueOf(s.reason()))).toList());
            DatasetLoader.TestSet test = testSet(run, data, metrics);

            Map<String, Object> phase = new LinkedHashMap<>(metrics);
            phase.put("phase", "training");
            if (!report(run, 0, phase, null)) {
                throw new CancellationException("the run is no longer this replica's before training");
            }
            // one training per seed (seed, seed + 1, ...); progress counts epochs through all of them in order
            Trainer trainer = null;
            TrainResult result = null;
            List<Map<String, Object>> seedResults = new ArrayList<>();
            for (int r = 0; r < run.repeats(); r++) {
                long seed = run.seed() + r;
                int offset = r * run.epochs();
                // stops before the next batch once the run is cancelled here or lost to another replica
                Trainer t = new Trainer(new TrainOptions(run.epochs(), seed, config.threads(), 8, 1e-4f),
                        () -> run.runId().equals(cancelled) || lost);
                Map<String, Object> base = new LinkedHashMap<>(metrics);
                if (run.repeats() > 1) {
                    base.put("repeat", r + 1);
                    base.put("repeats", run.repeats());
                    base.put("seed", seed);
                }
                TrainResult res = t.train(data, test, progress -> onEpoch(run, base, progress, offset));
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("seed", seed);
                one.putAll(resultMetrics(res));
                one.remove("model");
                seedResults.add(one);
                if (r == 0) {
                    trainer = t;
                    result = res;
                }
            }
            // the first seed's results stay at the top (as a run of one seed reports them); every seed's in seedResults
            metrics.putAll(resultMetrics(result));
            metrics.put("seed", run.seed());
            metrics.put("repeats", run.repeats());
            metrics.put("seedResults", seedResults);

            Map<String, Object> predictions = null;
            if (run.folds() >= 2) {
                Map<String, Object> oofPhase = new LinkedHashMap<>(metrics);
                oofPhase.put("phase", "out-of-fold");
                report(run, run.epochs() * run.repeats(), oofPhase, null);
                OutOfFold oof = trainer.outOfFold(data, run.folds(), run.epochs(),
                        progress -> onEpoch(run, metrics, progress, 0));
                predictions = predictions(run, oof);
                metrics.put("outOfFold", handOver(run, oof));
            }
            metrics.put("seconds", (System.nanoTime() - started) / 1e9);
            if (runs.complete(run.runId(), replica, metrics, predictions)) {
                completed.increment();
                runTime.record(Duration.ofNanos(System.nanoTime() - started));
                LOG.infof("Run %s completed: val accuracy %.4f%s in %.0f s", run.runId(), result.valAccuracy(),
                        result.test() == null ? "" : String.format(", test accuracy %.4f", result.testAccuracy()),
                        (System.nanoTime() - started) / 1e9);
            }
        } catch (TrainingException e) {
            if (e.reason() == TrainingException.Reason.UNREADABLE_INPUT && Files.exists(zip)) {
                // the export was cut short (the dataset service could not read an image): try again later
                retryLater(run, "the version's export could not be read: " + e.getMessage());
            } else {
                fail(run, e.reason() + ": " + e.getMessage(), metrics);
            }
        } catch (IOException e) {
            retryLater(run, e.getMessage());
        } catch (InterruptedException | CancellationException e) {
            if (!worker.isRunning()) {
                runs.release(run.runId(), replica, "the trainer replica stopped; the run starts again", Duration.ZERO);
                LOG.infof("Run %s given back: this replica is stopping", run.runId());
            } else if (run.runId().equals(cancelled)) {
                LOG.infof("Run %s cancelled: training stopped (%s)", run.runId(), e.getMessage());
            } else {
                LOG.warnf("Run %s is no longer this replica's (cancelled, or its lease expired): %s", run.runId(),
                        e.getMessage());
            }
            Thread.interrupted();
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "Run %s failed", run.runId());
            fail(run, "internal error: " + e, metrics);
        } finally {
            try {
                Files.deleteIfExists(zip);
            } catch (IOException e) {
                LOG.warnf("Cannot delete %s: %s", zip, e.getMessage());
            }
        }
    }

    /** The run's test folder, loaded; null when there is none or its classes do not fit (said in the metrics). */
    private DatasetLoader.TestSet testSet(RunService.Claimed run, Dataset data, Map<String, Object> metrics) {
        Optional<TestFolders.Choice> choice = testFolders.choose(run.projectId());
        if (choice.isEmpty()) {
            return null;
        }
        metrics.put("testFolder", choice.get().path().toString());
        metrics.put("testFolderSource", choice.get().source());
        if (choice.get().problem() != null) {
            metrics.put("testError", choice.get().problem());
            return null;
        }
        try {
            DatasetLoader.TestSet test = DatasetLoader.testFolder(choice.get().path(), data.classes());
            metrics.put("testItems", test.items().size());
            metrics.put("testSkippedImages", test.skipped().size());
            return test;
        } catch (TrainingException e) {
            metrics.put("testError", e.getMessage());
            return null;
        }
    }

    /** Reports an epoch; {@code offset}: epochs of the run's earlier seeds (its progress counts through all). */
    private void onEpoch(RunService.Claimed run, Map<String, Object> base, EpochProgress p, int offset) {
        epochs.increment();
        if (lost) {
            throw new CancellationException("the run's lease was lost");
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        if (p.fold() >= 0) {
            entry.put("fold", p.fold());
        }
        entry.put("epoch", p.epoch());
        if (run.repeats() > 1 && p.fold() < 0) {
            entry.put("seed", run.seed() + offset / run.epochs());
        }
        entry.put("trainLoss", p.trainLoss());
        entry.put("trainAccuracy", p.trainAccuracy());
        if (!Double.isNaN(p.valAccuracy())) {
            entry.put("valAccuracy", p.valAccuracy());
        }
        entry.put("best", p.best());
        entry.put("seconds", p.elapsed().toMillis() / 1000.0);
        Map<String, Object> metrics = new LinkedHashMap<>(base);
        metrics.put("phase", p.fold() >= 0 ? "out-of-fold" : "training");
        metrics.putAll(entry);
        if (!report(run, p.fold() >= 0 ? run.epochs() * run.repeats() : offset + p.epoch(), metrics, entry)) {
            throw new CancellationException("the run's lease was lost");
        }
    }

    private boolean report(RunService.Claimed run, int epoch, Map<String, Object> metrics, Map<String, Object> entry) {
        return runs.progress(run.runId(), replica, epoch, metrics, entry);
    }

    private static Map<String, Object> resultMetrics(TrainResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valAccuracy", r.val().accuracy());
        m.put("perClass", r.val().perClass());
        m.put("confusion", r.val().confusion());
        if (r.test() != null) {
            m.put("testAccuracy", r.test().accuracy());
            m.put("testPerClass", r.test().perClass());
            m.put("testConfusion", r.test().confusion());
        }
        m.put("bestEpoch", r.bestEpoch());
        m.put("trainSeconds", r.seconds());
        if (!r.history().isEmpty()) {
            EpochProgress first = r.history().get(0);
            EpochProgress last = r.history().get(r.history().size() - 1);
            m.put("firstEpochLoss", first.trainLoss());
            m.put("lastEpochLoss", last.trainLoss());
        }
        m.put("model", MODEL);
        return m;
    }

    /** What is stored with the run: every item's held-out probabilities, label and fold. */
    private static Map<String, Object> predictions(RunService.Claimed run, OutOfFold oof) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (OutOfFold.Prediction p : oof.predictions()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("itemId", p.id());
            item.put("label", oof.classes().get(p.label()));
            item.put("fold", p.fold());
            item.put("probabilities", p.probabilities());
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("versionId", run.versionId());
        body.put("evaluationId", run.runId());
        body.put("model", MODEL);
        body.put("folds", oof.k());
        body.put("epochs", oof.epochs());
        body.put("classes", oof.classes());
        body.put("items", items);
        return body;
    }

    /**
     * Gives the predictions to the embedding service's label-issue finder (it reads versionId, evaluationId, model,
     * classes and each item's itemId and probabilities; the client retries, since it may not have seen the newest
     * items yet); the outcome goes into the run's metrics, and the predictions stay readable at
     * {@code GET /api/evaluations/{id}/predictions} either way.
     */
    private Map<String, Object> handOver(RunService.Claimed run, OutOfFold oof) throws InterruptedException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folds", oof.k());
        out.put("epochs", oof.epochs());
        out.put("items", oof.predictions().size());
        out.put("accuracy", oof.evaluation().accuracy());
        List<PredictionSet.ItemPrediction> items = oof.predictions().stream()
                .map(p -> new PredictionSet.ItemPrediction(UUID.fromString(p.id()), p.probabilities())).toList();
        try {
            embeddings.handOver(run.projectId(), new PredictionSet(run.versionId(), run.runId(), MODEL, oof.classes(), items));
            out.put("handedOver", true);
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped while handing the predictions over");
            }
            out.put("handedOver", false);
            out.put("handOverError", e.getMessage());
        }
        return out;
    }

    private void fail(RunService.Claimed run, String error, Map<String, Object> metrics) {
        LOG.warnf("Run %s failed: %s", run.runId(), error);
        if (runs.fail(run.runId(), replica, error, metrics)) {
            failed.increment();
        }
    }

    private void retryLater(RunService.Claimed run, String error) {
        if (run.attempts() >= config.maxAttempts()) {
            fail(run, "gave up after " + run.attempts() + " attempts: " + error, new LinkedHashMap<>());
            return;
        }
        LOG.warnf("Run %s: %s; retrying in %s", run.runId(), error, config.retryBackoff());
        runs.release(run.runId(), replica, error, config.retryBackoff());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
