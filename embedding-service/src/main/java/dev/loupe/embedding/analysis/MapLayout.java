package dev.loupe.embedding.analysis;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * A computed map: coordinates of the items it was computed from.
 *
 * @param version    1 for a project's first full run, then one more per run (0: no run yet)
 * @param computedAt {@link System#nanoTime()} of the run, 0 without one
 */
public record MapLayout(long version, Map<UUID, double[]> positions, long computedAt) {

    /** No full run yet: every point at the origin. */
    public static final MapLayout NONE = new MapLayout(0, Map.of(), 0);

    /**
     * Every row of {@code snapshot} with a position: from this layout where it has one, else at the mean position
     * of the row's nearest neighbours that have one (an item added after the full run shows up at once), or at
     * the origin when there is no full run.
     */
    public MapLayout covering(ProjectSnapshot snapshot) {
        Map<UUID, double[]> all = new HashMap<>();
        for (int row = 0; row < snapshot.size(); row++) {
            UUID id = snapshot.row(row).itemId();
            double[] known = positions.get(id);
            all.put(id, known != null ? known : place(snapshot, row));
        }
        return new MapLayout(version, all, computedAt);
    }

    private double[] place(ProjectSnapshot snapshot, int row) {
        if (positions.isEmpty()) {
            return new double[]{0, 0};
        }
        // nearest neighbours that have a position from the full run (newer ones are skipped)
        VectorIndex index = snapshot.index();
        Neighbors near = index.nearest(index.vector(row), 2 * MapProjector.PLACEMENT_NEIGHBORS, row);
        double[][] placed = new double[MapProjector.PLACEMENT_NEIGHBORS][];
        float[] distances = new float[MapProjector.PLACEMENT_NEIGHBORS];
        int used = 0;
        for (int j = 0; j < near.size() && used < placed.length; j++) {
            double[] p = positions.get(snapshot.row(near.index()[j]).itemId());
            if (p != null) {
                placed[used] = p;
                distances[used++] = near.distance()[j];
            }
        }
        return MapProjector.place(new Neighbors(IntStream.range(0, used).toArray(), Arrays.copyOf(distances, used)), placed);
    }
}
