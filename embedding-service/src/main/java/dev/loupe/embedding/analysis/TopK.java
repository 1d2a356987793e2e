package dev.loupe.embedding.analysis;

import java.util.Arrays;

/** Keeps the k smallest distances seen, in a max-heap on distance; ties broken by lower row. */
final class TopK {
    private final int[] rows;
    private final float[] distances;
    private int count;

    TopK(int k) {
        rows = new int[k];
        distances = new float[k];
    }

    void offer(int row, float distance) {
        if (rows.length == 0) {
            return;
        }
        if (count < rows.length) {
            rows[count] = row;
            distances[count] = distance;
            siftUp(count++);
        } else if (distance < distances[0]) {
            rows[0] = row;
            distances[0] = distance;
            siftDown(0);
        }
    }

    Neighbors result() {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> distances[a] != distances[b] ? Float.compare(distances[a], distances[b])
                : Integer.compare(rows[a], rows[b]));
        int[] index = new int[count];
        float[] distance = new float[count];
        for (int i = 0; i < count; i++) {
            index[i] = rows[order[i]];
            distance[i] = distances[order[i]];
        }
        return new Neighbors(index, distance);
    }

    private boolean worse(int a, int b) {
        return distances[a] > distances[b] || (distances[a] == distances[b] && rows[a] > rows[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!worse(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            int right = left + 1;
            int largest = i;
            if (left < count && worse(left, largest)) {
                largest = left;
            }
            if (right < count && worse(right, largest)) {
                largest = right;
            }
            if (largest == i) {
                return;
            }
            swap(i, largest);
            i = largest;
        }
    }

    private void swap(int a, int b) {
        int r = rows[a];
        rows[a] = rows[b];
        rows[b] = r;
        float d = distances[a];
        distances[a] = distances[b];
        distances[b] = d;
    }
}
