package dev.loupe.dataset.curation;

import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.Remote;
import dev.loupe.augment.api.AugmentApi;
import dev.loupe.dataset.client.AugmentClient;
import dev.loupe.dataset.config.CurationConfig;
import dev.loupe.dataset.evaluation.EvaluationService;
import dev.loupe.dataset.split.DatasetItem;
import dev.loupe.dataset.split.SplitService;
import dev.loupe.dataset.version.VersionService;
import dev.loupe.label.api.ItemView;
import dev.loupe.label.api.LabelApi;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import dev.loupe.common.worker.BackgroundWorker;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Applies a plan in the background, in this service's name (the label service records {@code dataset}; the plan
 * records who applied it): the chosen auto actions in order (excludes and relabels at the label service with the
 * versions this service last saw, augmentation and recipe jobs at the augment service, awaited), then waits until the
 * split includes every change, freezes a version "plan n of project" and queues its evaluation. The first failing
 * action fails the plan (no version is made; the progress shows what was done). A plan whose replica stopped while
 * applying it is marked FAILED, not resumed (its done actions stay done, see its progress): by that replica when it
 * starts again, or by any replica once the plan's lease has expired ({@link PlanLeases}); replicas never fail a plan
 * another one is still applying.
 */
@ApplicationScoped
public class PlanApplier {

    private static final Logger LOG = Logger.getLogger(PlanApplier.class);
    private static final int RELABEL_CHUNK = 500;

    private final CurationService plans;
    private final LabelApi labels;
    private final AugmentClient augment;
    private final SplitService splits;
    private final VersionService versions;
    private final EvaluationService evaluations;
    private final CurationConfig config;
    private final PlanLeases leases;
    /** The plans this replica applies now: their leases are renewed. */
    private final Set<UUID> applying = ConcurrentHashMap.newKeySet();
    private final BackgroundWorker leaseKeeper;
    private ExecutorService executor;

    public PlanApplier(CurationService plans, @RestClient LabelApi labels, AugmentClient augment, SplitService splits,
                       VersionService versions, EvaluationService evaluations, CurationConfig config, PlanLeases leases,
                       MeterRegistry registry) {
        this.leases = leases;
        this.leaseKeeper = BackgroundWorker.builder("curation-plan-leases", this::keepLeases)
                .pollInterval(leases.lease().dividedBy(4))
                .backoff(Duration.ofSeconds(2), leases.lease().dividedBy(4))
                .metrics(registry)
                .build();
        this.plans = plans;
        this.labels = labels;
        this.augment = augment;
        this.splits = splits;
        this.versions = versions;
        this.evaluations = evaluations;
        this.config = config;
    }

    @PostConstruct
    void init() {
        executor = Executors.newFixedThreadPool(config.applyThreads(), r -> {
            Thread t = new Thread(r, "curation-apply");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Plans cut short are failed honestly, not resumed: at start the ones this replica held (it was stopped while
     * applying them), then every quarter lease the ones whose replica stopped renewing (it is gone); meanwhile this
     * replica renews the leases of the plans it applies.
     */
    void onStart(@Observes StartupEvent started) {
        int failed = leases.failAbandoned(true);
        if (failed > 0) {
            LOG.warnf("%d curation plans were being applied by this replica (%s) or one that is gone: marked FAILED",
                    failed, leases.replica());
        }
        leaseKeeper.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        leaseKeeper.stop();
    }

    /** One round of the lease keeper: renew this replica's leases, fail the plans of replicas that are gone. */
    private boolean keepLeases() {
        leases.renew(List.copyOf(applying));
        int failed = leases.failAbandoned(false);
        if (failed > 0) {
            LOG.warnf("%d curation plans were held by a replica that stopped renewing its lease: marked FAILED", failed);
        }
        return false;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    public void start(UUID planId) {
        applying.add(planId);
        executor.submit(() -> {
            try {
                run(planId);
            } finally {
                applying.remove(planId);
            }
        });
    }

    void run(UUID planId) {
        CurationPlan plan = plans.load(planId);
        CurationService.ApplyRequest request = plans.applyRequest(plan);
        List<CurationAction> all = plans.actions(plan);
        Map<UUID, Long> awaited = new LinkedHashMap<>();
        List<String> summary = new ArrayList<>();
        try {
            for (int index : request.actions().stream().sorted().toList()) {
                CurationAction action = all.get(index);
                CurationService.Outcome outcome;
                try {
                    outcome = switch (action.kind()) {
                        case EXCLUDE -> exclude(plan, action, awaited);
                        case RELABEL -> relabel(plan, action, awaited);
                        case AUGMENT, BALANCE_STYLES -> job(plan, action, false, awaited);
                        case COMPOSE -> job(plan, action, true, awaited);
                        case REVIEW -> throw new IllegalStateException("a REVIEW action is not applied");
                    };
                } catch (IOException | RuntimeException e) {
                    outcome = new CurationService.Outcome(index, action.kind(), "FAILED", 0, null, e.getMessage());
                }
                record(planId, outcome);
                if (!"APPLIED".equals(outcome.status())) {
                    fail(planId, "action " + index + " (" + action.kind() + ") failed: " + outcome.detail());
                    return;
                }
                summary.add(action.kind().name().toLowerCase() + " " + outcome.changed()
                        + (action.label() == null ? "" : " (" + action.label() + ")"));
            }
            long deadline = System.nanoTime() + config.splitWait().toNanos();
            for (Map.Entry<UUID, Long> e : awaited.entrySet()) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!Boolean.TRUE.equals(splits.await(plan.projectId, null, e.getKey(), e.getValue(), left).reached())) {
                    fail(planId, "the split did not include item " + e.getKey() + " at version " + e.getValue()
                            + " within " + config.splitWait().toSeconds() + " s; no version was made");
                    return;
                }
            }
            String name = "plan " + plan.number + " of " + projectName(plan.projectId);
            String note = "curation plan " + plan.planId + ": " + (summary.isEmpty() ? "no changes" : String.join(", ", summary));
            VersionService.VersionView version = versions.create(plan.projectId, name, note, plan.appliedBy);
            QuarkusTransaction.requiringNew().run(() -> CurationPlan.update("versionId = ?1, updatedAt = ?2 where planId = ?3",
                    version.versionId(), Instant.now(), planId));
            EvaluationService.EvaluationView evaluation = evaluations.request(version.versionId(),
                    new EvaluationService.Request(request.epochs(), request.seed(), null, request.repeats()), plan.appliedBy);
            QuarkusTransaction.requiringNew().run(() -> CurationPlan.update(
                    "status = ?1, evaluationId = ?2, updatedAt = ?3 where planId = ?4", CurationPlan.Status.APPLIED,
                    evaluation.id(), Instant.now(), planId));
            LOG.infof("curation plan %s applied: version %s, evaluation %s", planId, version.versionId(), evaluation.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(planId, "interrupted (the service is stopping)");
        } catch (RuntimeException e) {
            LOG.errorf(e, "curation plan %s failed", planId);
            fail(planId, e.getMessage());
        }
    }

    /** The action's items as this service last saw them, in one query. */
    private static Map<UUID, DatasetItem> items(List<UUID> ids) {
        return QuarkusTransaction.requiringNew().call(() -> DatasetItem.<DatasetItem>list("itemId in ?1", ids).stream()
                .collect(Collectors.toMap(i -> i.itemId, i -> i)));
    }

    private CurationService.Outcome exclude(CurationPlan plan, CurationAction action, Map<UUID, Long> awaited)
            throws IOException {
        int done = 0;
        int skipped = 0;
        Map<UUID, DatasetItem> known = items(action.itemIds());
        for (UUID id : action.itemIds()) {
            DatasetItem item = known.get(id);
            if (item == null || item.excluded) {
                skipped++;
                continue;
            }
            ItemView after = Remote.call("DELETE /api/items/" + id, () -> labels.exclude(id, IfMatch.etag(item.version),
                    "curation plan " + plan.number + ": outlier"));
            awaited.put(id, after.version());
            done++;
        }
        return new CurationService.Outcome(action.index(), action.kind(), "APPLIED", done, null,
                skipped == 0 ? null : skipped + " already excluded or unknown");
    }

    private CurationService.Outcome relabel(CurationPlan plan, CurationAction action, Map<UUID, Long> awaited)
            throws IOException {
        List<LabelApi.LabelChange> changes = new ArrayList<>();
        int skipped = 0;
        Map<UUID, DatasetItem> known = items(action.itemIds());
        for (UUID id : action.itemIds()) {
            DatasetItem item = known.get(id);
            if (item == null || item.excluded || action.label().equals(item.label)) {
                skipped++;
            } else {
                changes.add(new LabelApi.LabelChange(id, item.version, action.label()));
            }
        }
        String reason = "curation plan " + plan.number + ": label issue, confidence at least " + plan.minConfidence;
        for (int from = 0; from < changes.size(); from += RELABEL_CHUNK) {
            List<LabelApi.LabelChange> chunk = changes.subList(from, Math.min(changes.size(), from + RELABEL_CHUNK));
            LabelApi.BulkResult result = Remote.call("POST /api/projects/" + plan.projectId + "/relabels",
                    () -> labels.relabelAll(plan.projectId, new LabelApi.BulkRelabel(reason, chunk)));
            result.items().forEach(v -> awaited.put(v.id(), v.version()));
        }
        return new CurationService.Outcome(action.index(), action.kind(), "APPLIED", changes.size(), null,
                skipped == 0 ? null : skipped + " excluded, unknown or already labelled so");
    }

    private CurationService.Outcome job(CurationPlan plan, CurationAction action, boolean recipe, Map<UUID, Long> awaited)
            throws IOException, InterruptedException {
        // the same key on a repeat returns the same job: nothing is made twice
        String key = "curation-" + plan.planId + "-" + action.index();
        AugmentApi.Job job = augment.run(plan.projectId, recipe, key, action.request(), config.jobWait());
        if (!"COMPLETED".equals(job.status()) || job.failed() > 0) {
            return new CurationService.Outcome(action.index(), action.kind(), "FAILED", job.done(), job.jobId(),
                    "job " + job.jobId() + " " + job.status() + ": " + job.failed() + " of " + job.total() + " images failed");
        }
        job.createdItemIds().forEach(id -> awaited.put(id, 1L));
        return new CurationService.Outcome(action.index(), action.kind(), "APPLIED", job.createdItemIds().size(), job.jobId(), null);
    }

    private String projectName(UUID projectId) {
        try {
            return Remote.call("GET /api/projects/" + projectId, () -> labels.project(projectId)).name();
        } catch (IOException e) {
            return projectId.toString();
        }
    }

    private void record(UUID planId, CurationService.Outcome outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            CurationPlan p = CurationPlan.findById(planId);
            List<CurationService.Outcome> outcomes = plans.outcomes(p);
            outcomes.add(outcome);
            p.progress = plans.write(outcomes);
            p.updatedAt = Instant.now();
        });
    }

    private void fail(UUID planId, String error) {
        LOG.warnf("curation plan %s failed: %s", planId, error);
        QuarkusTransaction.requiringNew().run(() -> CurationPlan.update("status = ?1, error = ?2, updatedAt = ?3 where planId = ?4",
                CurationPlan.Status.FAILED, error, Instant.now(), planId));
    }
}
