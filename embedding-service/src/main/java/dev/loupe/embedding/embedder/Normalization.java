package dev.loupe.embedding.embedder;

import java.util.Arrays;

/**
 * Per-channel affine normalisation applied after {@code x = 1 - v/255}: {@code (x - mean[c]) / std[c]}, in float32
 * exactly like numpy does it on float32 arrays.
 *
 * <p>Arrays are copied in and out, so instances are immutable.
 */
public final class Normalization {

    private final float[] mean;
    private final float[] std;

    public Normalization(float[] mean, float[] std) {
        if (mean == null || std == null) {
            throw new IllegalArgumentException("normalization needs both mean and std");
        }
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalization mean and std must have the same non-zero length, got "
                    + mean.length + " and " + std.length);
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("normalization mean[" + c + "] is not finite: " + mean[c]);
            }
            if (!(std[c] > 0f) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("normalization std[" + c + "] must be finite and > 0, got " + std[c]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    public int channels() {
        return mean.length;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    float apply(int channel, float x) {
        return (x - mean[channel]) / std[channel];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
