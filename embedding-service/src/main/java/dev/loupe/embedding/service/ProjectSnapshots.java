package dev.loupe.embedding.service;

import dev.loupe.embedding.analysis.ProjectSnapshot;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The snapshot holder: each project's current {@link ProjectSnapshot}, made lazily from the vector cache after a
 * change and shared by every reader until the next one (so findings and clusters are computed once per change).
 */
@ApplicationScoped
public class ProjectSnapshots {

    private final ProjectVectors vectors;
    private final Map<UUID, ProjectSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicLong> stamps = new ConcurrentHashMap<>();

    public ProjectSnapshots(ProjectVectors vectors) {
        this.vectors = vectors;
    }

    /** The project changed (rows, labels or the model predictions): the next reader gets a new snapshot. */
    public void invalidate(UUID projectId) {
        // the stale snapshot stays until the next reader replaces it: the new one may take over its k-NN graph
        stamps.computeIfAbsent(projectId, id -> new AtomicLong()).incrementAndGet();
    }

    public ProjectSnapshot current(UUID projectId) {
        long stamp = stamps.computeIfAbsent(projectId, id -> new AtomicLong()).get();
        ProjectSnapshot current = snapshots.get(projectId);
        if (current != null && current.stamp() == stamp) {
            return current;
        }
        // a relabel keeps every vector: the new snapshot takes over the k-NN graph of the one it replaces
        ProjectSnapshot fresh = ProjectSnapshot.after(current, projectId, stamp, vectors.rows(projectId));
        snapshots.put(projectId, fresh);
        return fresh;
    }
}
