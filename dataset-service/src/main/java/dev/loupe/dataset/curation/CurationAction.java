package dev.loupe.dataset.curation;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One proposed action of a curation plan: what it acts on ({@code itemIds}, a {@code label}, a {@code count} of new
 * images, or the augment service's {@code request} body), whether applying the plan performs it ({@code auto}), the
 * numbers it was derived from ({@code evidence}) and a sentence saying why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CurationAction(int index, ActionKind kind, boolean auto, List<UUID> itemIds, String label, Integer count,
                             Map<String, Object> request, Map<String, Object> evidence, String reason) {

    /** An action before the planner numbered it. */
    static CurationAction of(ActionKind kind, boolean auto, List<UUID> itemIds, String label, Integer count,
                             Map<String, Object> request, Map<String, Object> evidence, String reason) {
        return new CurationAction(-1, kind, auto, itemIds, label, count, request, evidence, reason);
    }

    CurationAction numbered(int index) {
        return new CurationAction(index, kind, auto, itemIds, label, count, request, evidence, reason);
    }

    /** Items this action adds to the project (copies, composites); 0 for the others. */
    public int added() {
        return switch (kind) {
            case AUGMENT, COMPOSE, BALANCE_STYLES -> count == null ? 0 : count;
            default -> 0;
        };
    }

    /** Items this action takes out of the project. */
    public int removed() {
        return kind == ActionKind.EXCLUDE && itemIds != null ? itemIds.size() : 0;
    }
}
