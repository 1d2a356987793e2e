package dev.loupe.embedding.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One data-quality finding: its type (one of the {@code TYPE_} constants), the items it is about (two for a
 * duplicate, else one), how strong it is, and evidence whose keys depend on the type (the {@code EVIDENCE_} constants
 * are the ones other services read).
 */
public record Finding(String type, List<UUID> itemIds, double score, Map<String, Object> evidence) {

    public static final String TYPE_LABEL_ISSUE = "label-issue";
    public static final String TYPE_OUTLIER = "outlier";
    public static final String TYPE_DUPLICATE = "duplicate";
    public static final String TYPE_FAILED = "failed";

    /** A label issue's given label. */
    public static final String EVIDENCE_GIVEN_LABEL = "givenLabel";
    /** A label issue's suggested label. */
    public static final String EVIDENCE_SUGGESTED_LABEL = "suggestedLabel";

    /** The evidence value under {@code key} as text, or null when absent. */
    public String evidenceText(String key) {
        Object value = evidence == null ? null : evidence.get(key);
        return value == null ? null : value.toString();
    }
}
