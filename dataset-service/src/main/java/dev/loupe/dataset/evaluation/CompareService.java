package dev.loupe.dataset.evaluation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Compares two versions seed by seed: the completed evaluations' per-seed results ({@code evaluation_seed}) of both
 * versions are paired by seed (the newest result per seed and version), and the mean paired difference is reported
 * with a paired t interval (95%) and a plain verdict.
 */
@ApplicationScoped
public class CompareService {

    /** One side's comparison: mean of each version over the pairs, the mean difference, its spread and interval. */
    public record Difference(double mean, double againstMean, double difference, Double sd, Double low, Double high,
                             String verdict) {
    }

    /**
     * The answer.
     *
     * @param basis         "test" when every pair was scored on a test folder (it stays put), else "val"
     * @param verdict       better, worse, no detectable difference; "not comparable" when the basis is val and the
     *                      two versions' val sides hold different items (then {@code reason} says why)
     * @param interval      "paired t, 95%", or why it is unknown (one pair)
     * @param evaluationSet what the two were scored on
     * @param perClass      per class: mean over the pairs of (this version's accuracy - against's), on the basis side
     */
    public record Comparison(UUID versionId, UUID against, int pairs, List<Long> seeds, String basis, String verdict,
                             String reason, EvaluationSetMatch evaluationSet, String interval, Difference val,
                             Difference test, Map<String, Double> perClass) {
    }

    /**
     * @param sameValItems the two versions' val sides hold exactly the same items
     * @param frozen       the same val items, held there by a frozen validation side (either version was made while
     *                     the project's validation side was frozen)
     */
    public record EvaluationSetMatch(String basis, boolean sameValItems, boolean frozen) {
    }

    public static final String NOT_COMPARABLE = "not comparable";

    private record Row(long seed, double val, Double test, Map<String, Double> perClass, Map<String, Double> testPerClass) {
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final EvaluationSets sets;

    public CompareService(EntityManager em, ObjectMapper json, EvaluationSets sets) {
        this.em = em;
        this.json = json;
        this.sets = sets;
    }

    /** On the default basis: the test folder when every pair was scored on one, else val. */
    public Comparison compare(UUID versionId, UUID against) {
        return compare(versionId, against, null);
    }

    /**
     * {@code basis} "val" or "test" to choose the side the verdict is given on (null: the default); 409 when the two
     * versions have no completed evaluation with a seed in common, or "test" is asked for and not every pair has a
     * test score.
     */
    @Transactional
    public Comparison compare(UUID versionId, UUID against, String basisAsked) {
        Map<Long, Row> mine = rows(versionId);
        Map<Long, Row> theirs = rows(against);
        List<Long> seeds = mine.keySet().stream().filter(theirs::containsKey).sorted().toList();
        if (seeds.isEmpty()) {
            throw ProblemException.conflict("against", "no paired runs: versions " + versionId + " and " + against
                    + " have no completed evaluations with the same seed (seeds " + mine.keySet() + " and "
                    + theirs.keySet() + "); evaluate both with the same seed and repeats");
        }
        EvaluationSets.ValSide mySide = sets.valSide(versionId);
        EvaluationSets.ValSide theirSide = sets.valSide(against);
        boolean sameVal = mySide.valFingerprint().equals(theirSide.valFingerprint());
        Difference val = difference(seeds.stream().map(s -> mine.get(s).val()).toList(),
                seeds.stream().map(s -> theirs.get(s).val()).toList());
        if (!sameVal) {
            // the numbers stay; a verdict on two different sets would mix the data's change with the set's
            val = new Difference(val.mean(), val.againstMean(), val.difference(), val.sd(), val.low(), val.high(),
                    NOT_COMPARABLE);
        }
        boolean testScored = seeds.stream().allMatch(s -> mine.get(s).test() != null && theirs.get(s).test() != null);
        if ("test".equals(basisAsked) && !testScored) {
            throw ProblemException.conflict("basis", "not every seed pair of versions " + versionId + " and " + against
                    + " was scored on a test folder: compare on val, or set a test folder and evaluate both");
        }
        boolean onTest = testScored && !"val".equals(basisAsked);
        Difference test = testScored ? difference(seeds.stream().map(s -> mine.get(s).test()).toList(),
                seeds.stream().map(s -> theirs.get(s).test()).toList()) : null;
        Map<String, Double> perClass = new TreeMap<>();
        Map<String, Double> first = onTest ? mine.get(seeds.get(0)).testPerClass() : mine.get(seeds.get(0)).perClass();
        if (first != null) {
            for (String c : first.keySet()) {
                List<Double> deltas = new ArrayList<>();
                for (long s : seeds) {
                    Map<String, Double> a = onTest ? mine.get(s).testPerClass() : mine.get(s).perClass();
                    Map<String, Double> b = onTest ? theirs.get(s).testPerClass() : theirs.get(s).perClass();
                    if (a != null && b != null && a.get(c) != null && b.get(c) != null) {
                        deltas.add(a.get(c) - b.get(c));
                    }
                }
                if (!deltas.isEmpty()) {
                    perClass.put(c, SeedStats.mean(deltas));
                }
            }
        }
        Difference basis = onTest ? test : val;
        String interval = seeds.size() < 2 ? "unknown: one pair (evaluate both versions with repeats >= 2)" : "paired t, 95%";
        String basisName = onTest ? "test" : "val";
        boolean frozen = sameVal && (mySide.frozenValVersion() != null || theirSide.frozenValVersion() != null);
        String reason = onTest || sameVal ? null : "validation sides differ (" + mySide.valItems() + " and "
                + theirSide.valItems() + " items, not the same ones): the data's change moved the validation side, so the "
                + "scores are measured on different sets; freeze the validation side at the older version (split "
                + "configuration frozenValVersion) and make the new version again, or set a test folder and evaluate both";
        return new Comparison(versionId, against, seeds.size(), seeds, basisName, basis.verdict(), reason,
                new EvaluationSetMatch(basisName, sameVal, frozen), interval, val, test, perClass);
    }

    private static Difference difference(List<Double> a, List<Double> b) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            d.add(a.get(i) - b.get(i));
        }
        double[] ci = SeedStats.interval95(d);
        return new Difference(SeedStats.mean(a), SeedStats.mean(b), SeedStats.mean(d), SeedStats.sd(d),
                ci == null ? null : ci[0], ci == null ? null : ci[1], SeedStats.verdict(ci));
    }

    /** The newest completed result per seed of a version. */
    private Map<Long, Row> rows(UUID versionId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT DISTINCT ON (s.seed) s.seed, s.val_accuracy, s.test_accuracy, "
                        + "s.per_class, s.test_per_class FROM evaluation_seed s JOIN evaluation e ON e.evaluation_id = s.evaluation_id "
                        + "WHERE s.version_id = ?1 AND e.status = 'COMPLETED' ORDER BY s.seed, s.finished_at DESC, s.evaluation_id")
                .setParameter(1, versionId).getResultList();
        Map<Long, Row> out = new LinkedHashMap<>();
        for (Object[] r : rows) {
            long seed = ((Number) r[0]).longValue();
            out.put(seed, new Row(seed, ((Number) r[1]).doubleValue(), r[2] == null ? null : ((Number) r[2]).doubleValue(),
                    read((String) r[3]), read((String) r[4])));
        }
        return out;
    }

    private Map<String, Double> read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, new TypeReference<LinkedHashMap<String, Double>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored per-class accuracies unreadable", e);
        }
    }
}
