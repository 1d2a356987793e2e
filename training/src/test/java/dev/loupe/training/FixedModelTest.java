package dev.loupe.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixedModelTest {

    @BeforeAll
    static void engine() {
        Trainer.engine(1);
    }

    @Test
    void stageOutputIs256x8x8AndLogitsAreTheClasses() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SequentialBlock backbone = FixedModel.backbone();
            backbone.initialize(manager, DataType.FLOAT32, FixedModel.inputShape(2));
            assertEquals(new Shape(2, 256, 8, 8), backbone.getOutputShapes(new Shape[] {FixedModel.inputShape(2)})[0]);
            NDArray x = manager.randomNormal(FixedModel.inputShape(2));
            NDArray stage = backbone.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, 256, 8, 8), stage.getShape());

            SequentialBlock model = FixedModel.build(10);
            model.initialize(manager, DataType.FLOAT32, FixedModel.inputShape(2));
            NDArray logits = model.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, 10), logits.getShape());

            SequentialBlock four = FixedModel.build(4);
            four.initialize(manager, DataType.FLOAT32, FixedModel.inputShape(1));
            assertEquals(new Shape(3, 4), four.getOutputShapes(new Shape[] {FixedModel.inputShape(3)})[0]);
        }
    }

    /**
     * Keras' {@code model.summary()} numbers for ResNet50(input (32, 32, 3), include_top=False, weights=None) cut at
     * conv2_block3_out + GlobalAveragePooling2D + Dense(10), worked out by hand (every Conv2D has a bias):
     * <pre>
     * conv1_conv        7*7*3*64 + 64   =  9,472   conv1_bn          4*64  =   256
     * conv2_block1_0    1*1*64*256 + 256 = 16,640   its BN            4*256 = 1,024   (projection shortcut)
     * conv2_block1_1    1*1*64*64 + 64  =  4,160   BN                4*64  =   256
     * conv2_block1_2    3*3*64*64 + 64  = 36,928   BN                4*64  =   256
     * conv2_block1_3    1*1*64*256 + 256 = 16,640   BN                4*256 = 1,024
     * conv2_block2_1/3_1  1*1*256*64 + 64 = 16,448 each; _2 36,928 each; _3 16,640 each; BNs 256 + 256 + 1,024 each
     * dense             256*10 + 10     =  2,570
     * convs: 9,472 + 74,368 + 2 * 70,016 = 223,872; BN channels 64 + 640 + 2 * 384 = 1,472
     * total     = 223,872 + 4 * 1,472 + 2,570 = 232,330  (Keras "Total params")
     * trainable = 223,872 + 2 * 1,472 + 2,570 = 229,386  (gamma and beta; the moving mean and variance, 2,944, are
     *             Keras' "Non-trainable params")
     * </pre>
     * DJL keeps the moving statistics as parameters that need no gradient, so both of Keras' numbers are checked.
     */
    @Test
    void parameterCountIsKeras() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SequentialBlock model = FixedModel.build(10);
            model.initialize(manager, DataType.FLOAT32, FixedModel.inputShape(1));
            FixedModel.ParameterCount count = FixedModel.countParameters(model);
            assertEquals(232_330, count.total());
            assertEquals(229_386, count.trainable());
            assertEquals(2_944, count.nonTrainable());
        }
    }

    @Test
    void initialisationIsKerasDefaults() {
        Trainer.engine(1).setRandomSeed(7);
        try (Model model = Model.newInstance("t", Device.cpu(), "PyTorch")) {
            SequentialBlock block = FixedModel.build(10);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, FixedModel.inputShape(1));
            int weights = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray a = p.getValue().getArray();
                float[] v = a.toFloatArray();
                switch (p.getValue().getType()) {
                    case WEIGHT -> {
                        weights++;
                        Shape s = a.getShape();
                        long receptive = s.dimension() == 4 ? s.get(2) * s.get(3) : 1;
                        double limit = Math.sqrt(6.0 / ((s.get(0) + s.get(1)) * receptive));
                        float max = 0;
                        for (float f : v) {
                            max = Math.max(max, Math.abs(f));
                        }
                        assertTrue(max <= limit && max > 0.9 * limit, p.getKey() + ": max |w| " + max + " vs glorot " + limit);
                    }
                    case BIAS, BETA, RUNNING_MEAN -> assertArrayEquals(new float[v.length], v, p.getKey());
                    case GAMMA, RUNNING_VAR -> {
                        for (float f : v) {
                            assertEquals(1f, f, p.getKey());
                        }
                    }
                    default -> throw new AssertionError("unexpected parameter " + p.getKey());
                }
            }
            assertEquals(1 + 4 + 3 + 3 + 1, weights, "11 convolutions and the dense layer");
        }
    }
}
