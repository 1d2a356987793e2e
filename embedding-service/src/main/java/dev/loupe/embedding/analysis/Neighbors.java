package dev.loupe.embedding.analysis;

/** The k nearest neighbours of one point: row indices and cosine distances, nearest first. */
public record Neighbors(int[] index, float[] distance) {

    public int size() {
        return index.length;
    }
}
