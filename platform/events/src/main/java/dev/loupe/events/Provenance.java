package dev.loupe.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a derived image came from: its parent items (at the versions used), the operations applied with their
 * parameters, and the seed, so nobody later mistakes a synthetic image for an original and anyone can redo it.
 */
public record Provenance(List<Parent> parents, List<Operation> operations, Long seed, String job) {

    public Provenance {
        parents = parents == null ? List.of() : List.copyOf(parents);
        operations = operations == null ? List.of() : List.copyOf(operations);
    }

    /** One parent item at the version that was used. */
    public record Parent(UUID itemId, long version) {
    }

    /** One operation with its parameters, e.g. {@code {"op":"rotate","params":{"degrees":10}}}. */
    public record Operation(String op, Map<String, Object> params) {
        public Operation {
            params = params == null ? Map.of() : Map.copyOf(params);
        }
    }
}
