package dev.loupe.dataset.curation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.dataset.config.CurationConfig;
import dev.loupe.dataset.evaluation.CompareService;
import dev.loupe.dataset.evaluation.Evaluation;
import dev.loupe.dataset.evaluation.EvaluationService;
import dev.loupe.events.EvaluationStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Curation plans: proposed from the project's state, stored, applied in the background ({@link PlanApplier}). */
@ApplicationScoped
public class CurationService {

    private static final Logger LOG = Logger.getLogger(CurationService.class);

    /** Body of a plan request, both optional: the image budget and the confidence from which suggestions apply. */
    public record CreateRequest(Integer budget, Double minConfidence) {
    }

    /**
     * Body of an apply request, all optional: the evaluation's epochs, repeats and seed (default: the seeds and repeats of
     * the evaluation the plan is based on, so the two pair up), and which actions (indices; default every auto action).
     */
    public record ApplyRequest(Integer epochs, Integer repeats, Long seed, List<Integer> actions) {
    }

    public record BasedOn(UUID versionId, UUID evaluationId) {
    }

    public record Items(int now, int afterPlan) {
    }

    /** What applying one action did: APPLIED or FAILED, items changed or made, the job, and why it failed. */
    public record Outcome(int index, ActionKind kind, String status, int changed, UUID jobId, String detail) {
    }

    /**
     * A plan as the API shows it; {@code effect} is the comparison of the version it made against
     * {@code basedOn.versionId} once the evaluation completed.
     */
    public record PlanView(UUID planId, UUID projectId, int number, BasedOn basedOn, int budget, double minConfidence,
                           Items items, List<CurationAction> actions, CurationPlan.Status status,
                           ApplyRequest applyRequest, List<Outcome> progress, String error, UUID versionId,
                           UUID evaluationId, EvaluationStatus evaluationStatus, Object effect, Map<String, Object> inputs,
                           String createdBy, String appliedBy, Instant createdAt, Instant updatedAt) {
    }

    private final PlanInputsReader reader;
    private final CurationPlanner planner = new CurationPlanner();
    private final CurationConfig config;
    private final EvaluationService evaluations;
    private final CompareService compare;
    private final PlanLeases leases;
    private final ObjectMapper json;

    public CurationService(PlanInputsReader reader, CurationConfig config, EvaluationService evaluations,
                           CompareService compare, ObjectMapper json, PlanLeases leases) {
        this.leases = leases;
        this.reader = reader;
        this.config = config;
        this.evaluations = evaluations;
        this.compare = compare;
        this.json = json;
    }

    /**
     * Proposes and stores a plan; 422 naming {@code budget} (below the items now, or over the maximum) or
     * {@code minConfidence}; 404 for an unknown project; nothing is stored on a refusal.
     */
    public PlanView create(UUID projectId, CreateRequest request, String actor) {
        CreateRequest checked = checked(request);
        int budget = checked.budget();
        double minConfidence = checked.minConfidence();
        PlanInputs in = reader.read(projectId, minConfidence);
        checkBudgetCovers(budget, in.itemsNow());
        CurationPlanner.Draft draft = planner.plan(in, budget);
        Instant now = Instant.now();
        CurationPlan plan = QuarkusTransaction.requiringNew().call(() -> {
            CurationPlan p = new CurationPlan();
            p.planId = UUID.randomUUID();
            p.projectId = projectId;
            Number last = (Number) CurationPlan.getEntityManager()
                    .createQuery("select max(p.number) from CurationPlan p where p.projectId = ?1")
                    .setParameter(1, projectId).getSingleResult();
            p.number = last == null ? 1 : last.intValue() + 1;
            p.basedOnVersion = in.versionId();
            p.basedOnEvaluation = in.evaluationId();
            p.budget = budget;
            p.minConfidence = minConfidence;
            p.itemsNow = draft.itemsNow();
            p.itemsAfter = draft.itemsAfterPlan();
            p.inputs = write(inputs(in));
            p.actions = write(draft.actions());
            p.status = CurationPlan.Status.PROPOSED;
            p.createdBy = actor;
            p.createdAt = now;
            p.updatedAt = now;
            p.persist();
            return p;
        });
        LOG.infof("curation plan %s (%d) of project %s: %d actions, %d -> %d items", plan.planId, plan.number, projectId,
                draft.actions().size(), draft.itemsNow(), draft.itemsAfterPlan());
        return view(plan);
    }

    /**
     * The request with its defaults, or 422 naming {@code budget} (over the maximum) or {@code minConfidence}; curation
     * runs check theirs with it.
     */
    public CreateRequest checked(CreateRequest request) {
        int budget = request == null || request.budget() == null ? config.defaultBudget() : request.budget();
        double minConfidence = request == null || request.minConfidence() == null ? config.defaultMinConfidence()
                : request.minConfidence();
        new FieldErrors()
                .check(budget < 1 || budget > config.maxBudget(), "budget", "must be between 1 and " + config.maxBudget())
                .check(!(minConfidence > 0 && minConfidence <= 1), "minConfidence", "must be in (0, 1]")
                .throwIfAny();
        return new CreateRequest(budget, minConfidence);
    }

    /** 422 naming {@code budget} when it is below the project's items now. */
    public static void checkBudgetCovers(int budget, int itemsNow) {
        if (budget < itemsNow) {
            throw ProblemException.unprocessable("budget", "the project already has " + itemsNow + " items, more "
                    + "than the budget of " + budget + ": a plan never removes more than a few outliers");
        }
    }

    public List<PlanView> list(UUID projectId) {
        List<CurationPlan> plans = QuarkusTransaction.requiringNew().call(() ->
                CurationPlan.<CurationPlan>list("projectId = ?1 order by createdAt desc", projectId));
        return plans.stream().map(this::view).toList();
    }

    public PlanView get(UUID planId) {
        return view(load(planId));
    }

    /** The project of a plan, or 404. */
    public UUID projectOf(UUID planId) {
        return load(planId).projectId;
    }

    /**
     * Checks the request (422 naming the field; the evaluation's quota as evaluations check it), then moves the plan from
     * PROPOSED to APPLYING (409 when it is not PROPOSED), held by this replica ({@link PlanLeases}); the caller then starts the {@link PlanApplier}. Nothing changes on a refusal.
     */
    public void apply(UUID planId, ApplyRequest request, String actor) {
        CurationPlan plan = load(planId);
        List<CurationAction> actions = actions(plan);
        ApplyRequest effective = withDefaults(plan, request == null ? new ApplyRequest(null, null, null, null) : request);
        FieldErrors errors = new FieldErrors();
        for (Integer i : effective.actions()) {
            errors.check(i == null || i < 0 || i >= actions.size(), "actions", "no action " + i + " in this plan (0 to "
                    + (actions.size() - 1) + ")");
            if (i != null && i >= 0 && i < actions.size()) {
                errors.check(!actions.get(i).auto(), "actions", "action " + i + " is " + actions.get(i).kind()
                        + ": people decide it (the review queue), a plan never applies it");
            }
        }
        errors.throwIfAny();
        evaluations.validate(new EvaluationService.Request(effective.epochs(), effective.seed(), null, effective.repeats()));
        Instant now = Instant.now();
        boolean started = QuarkusTransaction.requiringNew().call(() -> CurationPlan.update(
                "status = ?1, applyRequest = ?2, appliedBy = ?3, progress = ?4, updatedAt = ?5, leaseOwner = ?6, "
                        + "leaseUntil = ?7 where planId = ?8 and status = ?9",
                CurationPlan.Status.APPLYING, write(effective), actor, write(List.of()), now, leases.replica(),
                leases.until(now), planId, CurationPlan.Status.PROPOSED) == 1);
        if (!started) {
            throw ProblemException.conflict("planId", "plan " + planId + " is " + load(planId).status
                    + ": only a PROPOSED plan can be applied (make a new plan)");
        }
    }

    /** Seeds and repeats default to those of the evaluation the plan is based on, so the comparison pairs them. */
    private ApplyRequest withDefaults(CurationPlan plan, ApplyRequest r) {
        List<Integer> actions = r.actions() != null ? r.actions()
                : actions(plan).stream().filter(CurationAction::auto).map(CurationAction::index).toList();
        Long seed = r.seed();
        Integer repeats = r.repeats();
        if ((seed == null || repeats == null) && plan.basedOnEvaluation != null) {
            List<Long> seeds = QuarkusTransaction.requiringNew().call(() -> {
                @SuppressWarnings("unchecked")
                List<Number> rows = CurationPlan.getEntityManager().createNativeQuery(
                                "SELECT seed FROM evaluation_seed WHERE evaluation_id = ?1 ORDER BY seed")
                        .setParameter(1, plan.basedOnEvaluation).getResultList();
                return rows.stream().map(Number::longValue).toList();
            });
            if (!seeds.isEmpty()) {
                seed = seed == null ? seeds.getFirst() : seed;
                repeats = repeats == null ? seeds.size() : repeats;
            }
        }
        return new ApplyRequest(r.epochs(), repeats, seed, actions);
    }

    CurationPlan load(UUID planId) {
        CurationPlan plan = QuarkusTransaction.requiringNew().call(() -> CurationPlan.<CurationPlan>findById(planId));
        if (plan == null) {
            throw ProblemException.notFound("plan", planId);
        }
        return plan;
    }

    List<CurationAction> actions(CurationPlan plan) {
        return read(plan.actions, new TypeReference<List<CurationAction>>() { });
    }

    private PlanView view(CurationPlan p) {
        EvaluationStatus evaluationStatus = null;
        Object effect = null;
        if (p.evaluationId != null) {
            Evaluation e = QuarkusTransaction.requiringNew().call(() -> Evaluation.<Evaluation>findById(p.evaluationId));
            evaluationStatus = e == null ? null : e.status;
            if (e != null && e.status == EvaluationStatus.COMPLETED && p.basedOnVersion != null) {
                try {
                    effect = compare.compare(p.versionId, p.basedOnVersion);
                } catch (ProblemException notPaired) {
                    effect = Map.of("comparable", false, "detail", notPaired.getMessage());
                }
            }
        }
        return new PlanView(p.planId, p.projectId, p.number, new BasedOn(p.basedOnVersion, p.basedOnEvaluation), p.budget,
                p.minConfidence, new Items(p.itemsNow, p.itemsAfter), actions(p), p.status,
                p.applyRequest == null ? null : read(p.applyRequest, new TypeReference<ApplyRequest>() { }),
                p.progress == null ? List.of() : read(p.progress, new TypeReference<List<Outcome>>() { }), p.error,
                p.versionId, p.evaluationId, evaluationStatus, effect,
                read(p.inputs, new TypeReference<LinkedHashMap<String, Object>>() { }), p.createdBy, p.appliedBy,
                p.createdAt, p.updatedAt);
    }

    /** What the plan was derived from, in numbers (the actions' evidence has the details). */
    private static Map<String, Object> inputs(PlanInputs in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classes", in.classes());
        m.put("trainCounts", in.trainCounts());
        m.put("accuracy", in.accuracy());
        m.put("confusions", in.confusions().stream().limit(10).toList());
        m.put("labelIssues", in.labelIssues().size());
        m.put("outliers", in.outliers().size());
        m.put("augmentSuggestions", in.suggestionsStatus());
        m.put("settings", in.settings());
        return m;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored plan unreadable", e);
        }
    }

    List<Outcome> outcomes(CurationPlan plan) {
        return plan.progress == null ? new ArrayList<>() : new ArrayList<>(read(plan.progress, new TypeReference<List<Outcome>>() { }));
    }

    ApplyRequest applyRequest(CurationPlan plan) {
        return read(plan.applyRequest, new TypeReference<ApplyRequest>() { });
    }
}
