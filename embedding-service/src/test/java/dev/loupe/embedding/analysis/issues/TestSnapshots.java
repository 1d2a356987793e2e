package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.ItemVector;
import dev.loupe.embedding.analysis.ProjectSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Snapshots built from vectors, with item ids that sort in row order (as the store's item-id order does). */
final class TestSnapshots {

    private TestSnapshots() {
    }

    static UUID id(int row) {
        return new UUID(0, row);
    }

    /** Row i has label labels[i], split splits[i] (null: none), hash "h"+i and ink 0.05 (a normal page). */
    static ProjectSnapshot of(float[][] vectors, String[] labels, String[] splits) {
        List<ItemVector> rows = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            rows.add(new ItemVector(id(i), labels[i], splits == null ? null : splits[i], "h" + i, vectors[i], 0.05));
        }
        return new ProjectSnapshot(new UUID(1, 1), 0, rows);
    }

    static ProjectSnapshot of(List<ItemVector> rows) {
        return new ProjectSnapshot(new UUID(1, 1), 0, rows);
    }

    static String[] labelsByBlock(int classes, int perClass) {
        String[] labels = new String[classes * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = "c" + i / perClass;
        }
        return labels;
    }
}
