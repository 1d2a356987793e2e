package dev.loupe.embedding.analysis;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact cosine k-nearest-neighbour search over L2-normalised vectors held in one flat array.
 *
 * <p>Brute force on purpose: at 100,000 x 64 floats a query is 6.4 M multiply-adds, a few milliseconds, with no
 * index to build or keep in sync; the all-pairs graph for the map is computed in parallel rows.</p>
 */
public final class VectorIndex {

    private final int dimension;
    private final float[] data;
    private final int size;

    /** @param vectors L2-normalised rows of equal length (copied) */
    public VectorIndex(float[][] vectors) {
        this.size = vectors.length;
        this.dimension = size == 0 ? 0 : vectors[0].length;
        this.data = new float[size * dimension];
        for (int i = 0; i < size; i++) {
            if (vectors[i].length != dimension) {
                throw new IllegalArgumentException("row " + i + " has " + vectors[i].length + " values, expected " + dimension);
            }
            System.arraycopy(vectors[i], 0, data, i * dimension, dimension);
        }
    }

    public int size() {
        return size;
    }

    public int dimension() {
        return dimension;
    }

    public float[] vector(int row) {
        return Arrays.copyOfRange(data, row * dimension, (row + 1) * dimension);
    }

    /** Cosine distance (1 - dot product of unit vectors), in [0, 2]. */
    public float distance(int a, int b) {
        return 1f - dot(a * dimension, data, b * dimension);
    }

    /** The k nearest rows to {@code query}, excluding {@code excludeRow} (use -1 for none). */
    public Neighbors nearest(float[] query, int k, int excludeRow) {
        int want = Math.min(k, size - (excludeRow >= 0 ? 1 : 0));
        TopK top = new TopK(Math.max(want, 0));
        for (int row = 0; row < size; row++) {
            if (row != excludeRow) {
                top.offer(row, 1f - dot(0, query, row * dimension));
            }
        }
        return top.result();
    }

    /** The k nearest neighbours of every row (itself excluded), rows in parallel. */
    public Neighbors[] graph(int k) {
        Neighbors[] graph = new Neighbors[size];
        IntStream.range(0, size).parallel().forEach(row -> graph[row] = nearest(vector(row), k, row));
        return graph;
    }

    private float dot(int offset, float[] query, int rowOffset) {
        float sum = 0f;
        for (int i = 0; i < dimension; i++) {
            sum += query[offset + i] * data[rowOffset + i];
        }
        return sum;
    }
}
