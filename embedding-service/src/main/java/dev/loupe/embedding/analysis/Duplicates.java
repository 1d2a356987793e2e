package dev.loupe.embedding.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact duplicates share the image hash; near duplicates are nearest neighbours closer than a small cosine
 * distance (a re-saved or slightly shifted copy). Each pair is reported once, lower row first.
 */
public final class Duplicates {

    public record Pair(int a, int b, double distance, boolean exact) {
    }

    private Duplicates() {
    }

    public static List<Pair> find(String[] sha256, Neighbors[] neighbors, double nearDistance) {
        List<Pair> pairs = new ArrayList<>();
        Map<String, List<Integer>> byHash = new HashMap<>();
        for (int i = 0; i < sha256.length; i++) {
            byHash.computeIfAbsent(sha256[i], h -> new ArrayList<>()).add(i);
        }
        for (List<Integer> same : byHash.values()) {
            for (int x = 0; x < same.size(); x++) {
                for (int y = x + 1; y < same.size(); y++) {
                    pairs.add(new Pair(same.get(x), same.get(y), 0, true));
                }
            }
        }
        for (int i = 0; i < neighbors.length; i++) {
            for (int j = 0; j < neighbors[i].size(); j++) {
                int other = neighbors[i].index()[j];
                double distance = neighbors[i].distance()[j];
                if (distance > nearDistance) {
                    break;
                }
                if (i < other && !sha256[i].equals(sha256[other])) {
                    pairs.add(new Pair(i, other, distance, false));
                }
            }
        }
        pairs.sort(java.util.Comparator.comparingDouble(Pair::distance).thenComparingInt(Pair::a).thenComparingInt(Pair::b));
        return pairs;
    }
}
