package dev.loupe.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

import java.util.List;

/**
 * The 2021 Data-Centric AI competition's fixed model, in DJL: Keras' {@code ResNet50(input_shape=(32, 32, 3),
 * include_top=False, weights=None)} cut at {@code conv2_block3_out}, then {@code GlobalAveragePooling2D} and
 * {@code Dense(classes)} giving logits.
 *
 * <pre>
 * input 3x32x32 (BGR, caffe-normalised: {@link Preprocessing})
 * conv1: ZeroPadding 3 + Conv 7x7/2, 64, bias  -> 64x16x16, BN, ReLU
 * pool1: ZeroPadding 1 + MaxPool 3x3/2          -> 64x8x8
 * conv2_block1: [1x1 64, BN, ReLU, 3x3 64 same, BN, ReLU, 1x1 256, BN] + [1x1 256, BN] (projection), ReLU
 * conv2_block2, conv2_block3: the same with an identity shortcut                         -> 256x8x8
 * global average pooling -> 256, Dense(classes) -> logits
 * </pre>
 * Keras' choices kept: every convolution has a bias; BatchNormalization has epsilon 1.001e-5 and momentum 0.99
 * (moving = 0.99 * moving + 0.01 * batch; DJL's {@code optMomentum} has Keras' meaning, it hands {@code 1 - m} to
 * PyTorch); kernels are glorot-uniform, biases zero, gamma one, beta zero, moving mean zero, moving variance one.
 * The zero paddings are convolution/pool paddings: a zero-padded 7x7 "valid" convolution is a padded one, and max
 * pooling after a ReLU sees only values &ge; 0, so PyTorch's implicit -inf padding gives the same maxima as Keras'
 * zeros.
 */
public final class FixedModel {

    public static final int CHANNELS = 3;
    public static final float BN_EPSILON = 1.001e-5f;
    public static final float BN_MOMENTUM = 0.99f;

    private FixedModel() {
    }

    /** The input shape for a batch of {@code batch} images. */
    public static Shape inputShape(long batch) {
        return new Shape(batch, CHANNELS, Preprocessing.SIZE, Preprocessing.SIZE);
    }

    /** The whole model: backbone, global average pooling, {@code Dense(classes)} logits. */
    public static SequentialBlock build(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("the model needs at least 2 classes, got " + classes);
        }
        SequentialBlock model = new SequentialBlock();
        model.add(backbone());
        model.add(Pool.globalAvgPool2dBlock());
        model.add(Linear.builder().setUnits(classes).optBias(true).build());
        model.setInitializer(new GlorotUniform(), Parameter.Type.WEIGHT);
        return model;
    }

    /** Keras' ResNet50 up to {@code conv2_block3_out}: 3x32x32 in, 256x8x8 out. */
    public static SequentialBlock backbone() {
        SequentialBlock b = new SequentialBlock();
        b.add(conv(64, 7, 2, 3));
        b.add(bn());
        b.add(Activation.reluBlock());
        b.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        b.add(bottleneck(64, 64, true));
        b.add(bottleneck(256, 64, false));
        b.add(bottleneck(256, 64, false));
        b.setInitializer(new GlorotUniform(), Parameter.Type.WEIGHT);
        return b;
    }

    /** Keras' {@code block1}: 1x1, 3x3 same, 1x1 (4x filters), projection or identity shortcut, add, ReLU. */
    static Block bottleneck(int in, int filters, boolean projection) {
        SequentialBlock residual = new SequentialBlock()
                .add(conv(filters, 1, 1, 0)).add(bn()).add(Activation.reluBlock())
                .add(conv(filters, 3, 1, 1)).add(bn()).add(Activation.reluBlock())
                .add(conv(4 * filters, 1, 1, 0)).add(bn());
        SequentialBlock shortcut = new SequentialBlock();
        if (projection) {
            shortcut.add(conv(4 * filters, 1, 1, 0)).add(bn());
        } else if (in != 4 * filters) {
            throw new IllegalArgumentException("an identity shortcut needs " + in + " == " + 4 * filters);
        } else {
            shortcut.add(x -> x);
        }
        return new SequentialBlock()
                .add(new ParallelBlock(FixedModel::sum, List.of(residual, shortcut)))
                .add(Activation.reluBlock());
    }

    private static NDList sum(List<NDList> branches) {
        return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
    }

    private static Block conv(int filters, int kernel, int stride, int pad) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optBias(true)
                .build();
    }

    private static Block bn() {
        return BatchNorm.builder().optEpsilon(BN_EPSILON).optMomentum(BN_MOMENTUM).build();
    }

    /** Parameter counts of an initialised block: all (Keras' "Total params") and those trained by gradient. */
    public record ParameterCount(long total, long trainable) {
        /** Keras' "Non-trainable params": the BatchNorm moving means and variances. */
        public long nonTrainable() {
            return total - trainable;
        }
    }

    public static ParameterCount countParameters(Block block) {
        long total = 0;
        long trainable = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            long size = p.getValue().getArray().size();
            total += size;
            if (p.getValue().requiresGradient()) {
                trainable += size;
            }
        }
        return new ParameterCount(total, trainable);
    }

    /**
     * Keras' {@code glorot_uniform}: U(-l, l) with {@code l = sqrt(6 / (fanIn + fanOut))}; for a kernel of shape
     * (out, in, k...) fanIn = in * prod(k), fanOut = out * prod(k) (Keras computes the same from its (k..., in, out)
     * layout). Draws from the engine's generator, so {@code Engine.setRandomSeed} makes it reproducible.
     */
    static final class GlorotUniform implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            if (shape.dimension() < 2) {
                throw new IllegalArgumentException("glorot needs a kernel of rank >= 2, got " + shape);
            }
            long receptive = 1;
            for (int i = 2; i < shape.dimension(); i++) {
                receptive *= shape.get(i);
            }
            double fanIn = shape.get(1) * receptive;
            double fanOut = shape.get(0) * receptive;
            float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
            return manager.randomUniform(-limit, limit, shape, dataType);
        }
    }
}
