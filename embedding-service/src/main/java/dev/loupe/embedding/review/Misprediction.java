package dev.loupe.embedding.review;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An item the last evaluation's model got wrong: its most probable class is not the item's label.
 *
 * @param probability the model's probability of {@code predicted}
 */
public record Misprediction(String predicted, double probability) {

    /**
     * The model's most probable class per item, from its probabilities (in the order of {@code classes}); the
     * queue compares it with each item's label of the moment.
     */
    public static Map<UUID, Misprediction> topClasses(List<String> classes, Map<UUID, float[]> probabilities) {
        Map<UUID, Misprediction> top = new HashMap<>();
        probabilities.forEach((item, p) -> {
            int best = -1;
            for (int c = 0; c < p.length && c < classes.size(); c++) {
                if (best < 0 || p[c] > p[best]) {
                    best = c;
                }
            }
            if (best >= 0) {
                top.put(item, new Misprediction(classes.get(best), p[best]));
            }
        });
        return top;
    }
}
