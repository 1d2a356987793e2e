package dev.loupe.embedding.embedder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * Moves a ready-made batch into the model and the chosen output back to Java arrays.
 *
 * <p>All NDArrays live in the per-call context manager and are freed by DJL after {@code predict}, so native memory
 * does not grow with the number of calls. Batching is ours (we already hold {@code N x C x S x S}), hence no
 * Batchifier: DJL's default STACK would add another leading dimension.
 */
final class BatchTranslator implements Translator<TensorBatch, float[][]> {

    private final int channels;
    private final int size;
    private final int outputIndex;
    private final boolean l2Normalize;

    BatchTranslator(ModelSpec spec) {
        this.channels = spec.inputChannels();
        this.size = spec.inputSize();
        this.outputIndex = spec.outputIndex();
        this.l2Normalize = spec.l2Normalize();
    }

    @Override
    public NDList processInput(TranslatorContext ctx, TensorBatch batch) {
        Shape shape = new Shape(batch.count(), channels, size, size);
        return new NDList(ctx.getNDManager().create(batch.data(), shape));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
        if (outputIndex >= outputs.size()) {
            throw new IllegalStateException("model has " + outputs.size() + " output(s), embedding output index is "
                    + outputIndex);
        }
        NDArray out = outputs.get(outputIndex);
        Shape shape = out.getShape();
        if (shape.dimension() < 1) {
            throw new IllegalStateException("embedding output is a scalar, expected [batch, ...], got " + shape);
        }
        int n = Math.toIntExact(shape.get(0));
        // Anything after the batch dimension is the vector, e.g. [N, D] or [N, D, 1, 1] from a pooled feature map.
        int dim = n == 0 ? 0 : Math.toIntExact(shape.size() / n);
        float[] flat = out.toType(DataType.FLOAT32, false).toFloatArray();
        float[][] vectors = new float[n][dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * dim, vectors[i], 0, dim);
            if (l2Normalize) {
                l2Normalize(vectors[i]);
            }
        }
        return vectors;
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }

    /** In place; an all-zero vector stays zero rather than becoming NaN. */
    static void l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum > 0) {
            float inv = (float) (1.0 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
    }
}
