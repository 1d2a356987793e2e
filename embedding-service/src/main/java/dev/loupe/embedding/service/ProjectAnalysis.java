package dev.loupe.embedding.service;

import dev.loupe.embedding.analysis.MapLayout;
import dev.loupe.embedding.analysis.ProjectSnapshot;
import dev.loupe.embedding.analysis.StyleClusters;
import dev.loupe.embedding.analysis.issues.FailedImage;
import dev.loupe.embedding.analysis.issues.FindingsReport;
import dev.loupe.embedding.analysis.issues.NearDuplicate;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The one entry point to a project's analysis: what changed comes in here (events, the embedding worker, peers),
 * and the resources read snapshots, the map, findings and clusters from here. The work is done by the parts:
 * {@link ProjectVectors} (vectors in memory), {@link ProjectSnapshots} (the snapshot of the moment),
 * {@link ProjectMaps} (the debounced map), {@link ProjectFindings} (the issue finders).
 */
@ApplicationScoped
public class ProjectAnalysis {

    private static final ProjectSnapshot.Key<int[]> CLUSTERS = new ProjectSnapshot.Key<>("clusters");

    private final ProjectVectors vectors;
    private final ProjectSnapshots snapshots;
    private final ProjectMaps maps;
    private final ProjectFindings findings;

    public ProjectAnalysis(ProjectVectors vectors, ProjectSnapshots snapshots, ProjectMaps maps, ProjectFindings findings) {
        this.vectors = vectors;
        this.snapshots = snapshots;
        this.maps = maps;
        this.findings = findings;
    }

    /**
     * Items were added, embedded, removed or restored (call after the change committed): their rows are re-read,
     * and the map gets a new full run after the quiet period.
     */
    public void itemsChanged(UUID projectId, Collection<UUID> itemIds) {
        labelsChanged(projectId, itemIds);
        maps.schedule(projectId);
    }

    /** Labels changed (after commit): the items' rows are re-read; findings and colours are stale, positions are not. */
    public void labelsChanged(UUID projectId, Collection<UUID> itemIds) {
        vectors.refresh(projectId, itemIds);
        snapshots.invalidate(projectId);
    }

    /**
     * Another replica (or this one: the announcement comes back to everyone) changed these items and said so in
     * EmbeddingsUpdated. A project this replica holds in memory re-reads them; when that adds or removes points, the map
     * gets a new run after the quiet period, like a local change. Projects not in memory load fresh on first use.
     */
    public void peerChanged(UUID projectId, Collection<UUID> itemIds) {
        boolean membership = vectors.refresh(projectId, itemIds);
        if (!vectors.holds(projectId)) {
            return;
        }
        snapshots.invalidate(projectId);
        if (membership) {
            maps.schedule(projectId);
        }
    }

    /**
     * Findings of this replica are stale when the project's model predictions changed since they were computed (on
     * any replica: the set is in the database): one indexed lookup, made before serving findings.
     */
    public void checkModelPredictions(UUID projectId) {
        if (findings.predictionsChanged(projectId)) {
            snapshots.invalidate(projectId);
        }
    }

    /** The project's embedded, included items now, loaded on first use. */
    public ProjectSnapshot snapshot(UUID projectId) {
        return snapshots.current(projectId);
    }

    /**
     * Positions of every embedded, included item: from the last full run, or placed near their neighbours when
     * they arrived after it. Starts a full run when there is none yet.
     */
    public MapLayout map(UUID projectId) {
        return maps.layout(projectId);
    }

    /** The version of the project's last full map run (0: none yet), without placing the points added since. */
    public long mapVersion(UUID projectId) {
        return maps.version(projectId);
    }

    /** Every finding of the snapshot (label issues, outliers, duplicates) and the train/val shift. */
    public FindingsReport findings(ProjectSnapshot snapshot) {
        return findings.report(snapshot);
    }

    /**
     * The findings a read gets: those of {@code current}, computed now if need be; or with {@code allowStale}, when
     * they are not computed yet, the last computed ones while they are computed in the background (see
     * {@link ProjectFindings#latest}).
     */
    public ProjectFindings.Latest findings(ProjectSnapshot current, boolean allowStale) {
        UUID projectId = current.projectId();
        return allowStale ? findings.latest(current, () -> snapshots.current(projectId))
                : new ProjectFindings.Latest(findings.report(current), current, true, false);
    }

    /** Exact and near duplicates of the snapshot alone: cheap, no classifier. */
    public List<NearDuplicate> duplicates(ProjectSnapshot snapshot) {
        return findings.duplicates(snapshot);
    }

    /** Images of the project that could not be embedded. */
    public List<FailedImage> failedImages(UUID projectId) {
        return findings.failedImages(projectId);
    }

    /** Style cluster per row of the snapshot, numbered within each class. */
    public int[] clusters(ProjectSnapshot snapshot) {
        return snapshot.derived(CLUSTERS, StyleClusters::withinEachClass);
    }
}
