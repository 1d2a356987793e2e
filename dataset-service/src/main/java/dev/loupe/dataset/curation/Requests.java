package dev.loupe.dataset.curation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The augment service's request bodies as a plan reads and writes them (JSON maps). */
final class Requests {

    /** Ranged, label-keeping operations: what the augment service suggests when its policy keeps every class. */
    static final List<Map<String, Object>> DEFAULT_OPS = List.of(
            Map.of("op", "rotate", "params", Map.of("degrees", List.of(-8, 8))),
            Map.of("op", "zoom", "params", Map.of("factor", List.of(0.9, 1.1))));

    private Requests() {
    }

    /** The item ids a suggested augmentation names, or null when it selects by filter. */
    static List<UUID> itemIds(Map<String, Object> request) {
        Object ids = request == null ? null : request.get("itemIds");
        if (!(ids instanceof List<?> list)) {
            return null;
        }
        return list.stream().map(id -> id instanceof UUID u ? u : UUID.fromString(id.toString())).toList();
    }

    static int copies(Map<String, Object> request) {
        Object copies = request == null ? null : request.get("copiesPerItem");
        return copies instanceof Number n ? Math.max(1, n.intValue()) : 1;
    }

    static Map<String, Object> augmentation(List<UUID> itemIds, Object ops, int copiesPerItem, long seed) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("itemIds", itemIds);
        request.put("ops", ops);
        request.put("copiesPerItem", copiesPerItem);
        request.put("seed", seed);
        return request;
    }

    static Map<String, Object> recipe(String label, int count, long seed) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("label", label);
        request.put("count", count);
        request.put("seed", seed);
        return request;
    }
}
