package dev.loupe.augment.service;

import dev.loupe.augment.client.EmbeddingServiceClient;
import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.domain.StoredGlyph;
import dev.loupe.augment.glyph.GlyphLibrary;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Operation;
import dev.loupe.augment.image.Rotate;
import dev.loupe.augment.image.Zoom;
import dev.loupe.augment.policy.AugmentPolicy;
import dev.loupe.augment.policy.ForbiddenOperationException;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.embedding.api.ClusterView;
import dev.loupe.embedding.api.Finding;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Which classes would gain most from new samples: classes with fewer items than the largest, style clusters with few
 * items, and pairs of classes the embedding service's suspected wrong labels say are confused. Each suggestion comes
 * with a request body that would act on it (an augmentation with label-keeping operations, or a recipe).
 */
@ApplicationScoped
public class SuggestionService {

    /** The answer: counts, the three kinds of evidence, and suggestions ordered by how much they add. */
    public record Suggestions(UUID projectId, List<ClassCount> classes, List<SmallCluster> smallStyleClusters,
                              List<Confusion> confusedPairs, List<Suggestion> suggestions, String embeddings) {
    }

    /** Items of a class (not excluded), of which original images, and how many fewer than the largest class. */
    public record ClassCount(String label, long count, long originals, long deficit) {
    }

    public record SmallCluster(String label, int cluster, int size, int classSize, List<UUID> itemIds) {
    }

    public record Confusion(String givenLabel, String suggestedLabel, int count, List<UUID> itemIds) {
    }

    /** What to do and why; {@code request} is a body for {@code path}. */
    public record Suggestion(String kind, String label, String reason, int newImages, String path, Object request) {
    }

    private static final int MAX_IDS = 20;

    private final LabelServiceClient labels;
    private final EmbeddingServiceClient embeddings;
    private final PolicyService policies;

    public SuggestionService(LabelServiceClient labels, EmbeddingServiceClient embeddings, PolicyService policies) {
        this.labels = labels;
        this.embeddings = embeddings;
        this.policies = policies;
    }

    public Suggestions suggest(UUID projectId) throws IOException, InterruptedException {
        List<String> classes = labels.classes(projectId).orElseThrow(() -> ProblemException.notFound("project", projectId));
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Long> originals = new LinkedHashMap<>();
        for (String c : classes) {
            counts.put(c, labels.items(projectId, c, null, null, 0, 1).total());
            originals.put(c, labels.items(projectId, c, null, "original", 0, 1).total());
        }
        long largest = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<ClassCount> classCounts = counts.entrySet().stream()
                .map(e -> new ClassCount(e.getKey(), e.getValue(), originals.get(e.getKey()), largest - e.getValue())).toList();

        String status = "ok";
        List<SmallCluster> small = List.of();
        List<Confusion> confused = List.of();
        try {
            small = smallClusters(embeddings.clusters(projectId));
            confused = confusions(embeddings.labelIssues(projectId));
        } catch (IOException e) {
            status = "unavailable: " + e.getMessage() + " (only class counts were used)";
        }

        AugmentPolicy policy = policies.current(projectId).policy();
        java.util.Set<String> library = symbols(projectId);
        // most telling first: classes the model is told apart from others by wrong labels, then short classes, then
        // rare styles; one suggestion per class and evidence (a class confused with several others gets one)
        List<Suggestion> suggestions = new ArrayList<>();
        Map<String, List<Confusion>> confusedBy = new LinkedHashMap<>();
        for (Confusion c : confused) {
            confusedBy.computeIfAbsent(c.givenLabel(), k -> new ArrayList<>()).add(c);
            confusedBy.computeIfAbsent(c.suggestedLabel(), k -> new ArrayList<>()).add(c);
        }
        confusedBy.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, List<Confusion>> e) -> -e.getValue().stream().mapToInt(Confusion::count).sum())
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    int items = e.getValue().stream().mapToInt(Confusion::count).sum();
                    String pairs = String.join(", ", e.getValue().stream().map(c -> c.count() + " labelled \"" + c.givenLabel()
                            + "\" look like \"" + c.suggestedLabel() + "\"").toList());
                    suggestions.add(forClass(projectId, e.getKey(), counts.getOrDefault(e.getKey(), 0L), Math.max(10, items * 5),
                            "confused with other classes (" + pairs + "): more clear examples of \"" + e.getKey()
                                    + "\" help the model tell them apart", policy, library, null));
                });
        classCounts.stream().filter(c -> c.deficit() > 0 && c.deficit() * 10 >= largest) // at least 10% short of the largest
                .sorted(Comparator.comparingLong(ClassCount::deficit).reversed().thenComparing(ClassCount::label))
                .forEach(c -> suggestions.add(forClass(projectId, c.label(), c.count(), (int) c.deficit(), "has " + c.count()
                        + " items, " + c.deficit() + " fewer than the largest class", policy, library, null)));
        for (SmallCluster s : small) {
            int wanted = Math.max(s.size(), Math.min(20, s.classSize() / 10));
            suggestions.add(forClass(projectId, s.label(), s.size(), wanted, "style cluster " + s.cluster() + " of \"" + s.label()
                    + "\" has only " + s.size() + " of the class's " + s.classSize() + " items", policy, library, s.itemIds()));
        }
        return new Suggestions(projectId, classCounts, small, confused, suggestions, status);
    }

    /** A recipe when the library can spell the class, otherwise an augmentation with operations that keep the label. */
    private Suggestion forClass(UUID projectId, String label, long classCount, int images, String reason,
                                AugmentPolicy policy, java.util.Set<String> library, List<UUID> itemIds) {
        if (itemIds == null && !library.isEmpty()) {
            try {
                GlyphLibrary.spell(library, label);
                Requests.RecipeRequest recipe = new Requests.RecipeRequest(label, images, null, null, null);
                return new Suggestion("recipe", label, reason, images, "/api/projects/" + projectId + "/recipes", recipe);
            } catch (InvalidOperationException e) {
                // the library cannot spell it: augment instead
            }
        }
        // small random tilts and size changes keep every class (the policy is asked); mirroring would make copies alike
        List<Map<String, Object>> ops = new ArrayList<>();
        if (keeps(policy, label, new Rotate(8)) && keeps(policy, label, new Rotate(-8))) {
            ops.add(Map.of("op", "rotate", "params", Map.of("degrees", List.of(-8, 8))));
        }
        if (keeps(policy, label, new Zoom(0.9))) ops.add(Map.of("op", "zoom", "params", Map.of("factor", List.of(0.9, 1.1))));
        if (ops.isEmpty()) ops.add(Map.of("op", "noise", "params", Map.of("type", "gaussian", "sigma", List.of(2, 6))));
        Requests.Filter filter = itemIds == null ? new Requests.Filter(label, null, null) : null;
        int pool = itemIds == null ? (int) Math.max(1, classCount) : itemIds.size();
        int copies = (int) Math.max(1, Math.min(10, Math.round((double) images / pool)));
        Requests.Augmentation augmentation = new Requests.Augmentation(itemIds, filter, ops, copies, null, null);
        return new Suggestion("augment", label, reason, copies * pool,
                "/api/projects/" + projectId + "/augmentations", augmentation);
    }

    private static boolean keeps(AugmentPolicy policy, String label, Operation op) {
        try {
            return label.equals(policy.resultLabel(label, List.of(op)));
        } catch (ForbiddenOperationException | InvalidOperationException e) {
            return false;
        }
    }

    /** Clusters holding under a third of their class's average cluster size (and at most 10 items). */
    static List<SmallCluster> smallClusters(List<ClusterView> rows) {
        Map<String, Map<Integer, List<UUID>>> byClass = new TreeMap<>();
        for (ClusterView r : rows) {
            if (r.cluster() < 0) continue;
            byClass.computeIfAbsent(r.label(), l -> new TreeMap<>()).computeIfAbsent(r.cluster(), c -> new ArrayList<>()).add(r.itemId());
        }
        List<SmallCluster> small = new ArrayList<>();
        byClass.forEach((label, clusters) -> {
            int classSize = clusters.values().stream().mapToInt(List::size).sum();
            if (clusters.size() < 2) return;
            double mean = (double) classSize / clusters.size();
            clusters.forEach((cluster, ids) -> {
                if (ids.size() * 3 < mean && ids.size() <= 10) {
                    small.add(new SmallCluster(label, cluster, ids.size(), classSize, ids.stream().limit(MAX_IDS).toList()));
                }
            });
        });
        small.sort(Comparator.comparingInt(SmallCluster::size));
        return small;
    }

    /** Pairs (given, suggested) of suspected wrong labels, most frequent first; a pair needs at least 2 items. */
    static List<Confusion> confusions(List<Finding> issues) {
        Map<List<String>, List<UUID>> byPair = new TreeMap<>(Comparator.comparing((List<String> pair) -> pair.get(0))
                .thenComparing(pair -> pair.get(1)));
        for (Finding i : issues) {
            List<String> pair = List.of(String.valueOf(i.evidenceText(Finding.EVIDENCE_GIVEN_LABEL)),
                    String.valueOf(i.evidenceText(Finding.EVIDENCE_SUGGESTED_LABEL)));
            byPair.computeIfAbsent(pair, k -> new ArrayList<>()).add(i.itemIds().getFirst());
        }
        List<Confusion> result = new ArrayList<>();
        byPair.forEach((pair, ids) -> {
            if (ids.size() < 2) return;
            result.add(new Confusion(pair.get(0), pair.get(1), ids.size(), ids.stream().limit(MAX_IDS).toList()));
        });
        result.sort(Comparator.comparingInt(Confusion::count).reversed());
        return result;
    }

    /** The symbols the project has glyphs for (empty: none). */
    private static java.util.Set<String> symbols(UUID projectId) {
        return QuarkusTransaction.requiringNew().call(() -> new java.util.TreeSet<>(StoredGlyph.getEntityManager()
                .createQuery("select distinct g.symbol from StoredGlyph g where g.projectId = ?1", String.class)
                .setParameter(1, projectId).getResultList()));
    }
}
