package dev.loupe.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.loupe.training.Dataset.Example;
import dev.loupe.training.DatasetLoader.TestSet;
import dev.loupe.training.TrainingException.Reason;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Trains the competition's fixed model ({@link FixedModel}) as {@code train.py} did: Adam (lr 1e-4), softmax
 * cross-entropy on the logits, batch 8, the training images reshuffled every epoch, and the weights of the epoch
 * with the best validation accuracy kept and evaluated (on val, and on a test folder when given).
 *
 * <p>Runs on the CPU with DJL's PyTorch engine. Seeded: {@code Engine.setRandomSeed} (which seeds PyTorch's
 * generator, used for the initial weights) before each model is built, and a {@link Random} with the same seed for
 * the shuffles. Two runs with the same seed, data and thread count give the same metrics (see the README for how
 * exactly). One run uses the calling thread; PyTorch parallelises each operation over {@link TrainOptions#threads()}.
 * Instances are immutable; runs in parallel in one JVM would share PyTorch's global generator and thread pool, so a
 * service should run one at a time.
 *
 * <p>Process environment (it cannot be set from Java): {@code LD_PRELOAD} of jemalloc, and
 * {@code OMP_WAIT_POLICY=PASSIVE} when using more than one thread on a machine that does other work: libtorch's
 * OpenMP threads otherwise spin at every barrier and a 2-thread epoch was measured 10-40x slower under load.
 */
public final class Trainer {

    private static final String ENGINE = "PyTorch";
    private static final int EVAL_BATCH = 64;

    private final TrainOptions options;
    private final BooleanSupplier stop;

    public Trainer(TrainOptions options) {
        this(options, () -> false);
    }

    /**
     * A trainer that stops when {@code stop} turns true (a run was cancelled): it is asked before every batch, so
     * training ends within one batch with a {@link CancellationException} and frees its native memory.
     */
    public Trainer(TrainOptions options, BooleanSupplier stop) {
        this.options = options;
        this.stop = stop;
    }

    public Trainer() {
        this(TrainOptions.defaults());
    }

    public TrainOptions options() {
        return options;
    }

    /** {@link #train(Dataset, TestSet, EpochListener)} without a test folder or a listener. */
    public TrainResult train(Dataset data) {
        return train(data, null, EpochListener.NONE);
    }

    /**
     * Trains {@link TrainOptions#epochs()} epochs and evaluates the best epoch's weights.
     *
     * @param test     a test folder ({@link DatasetLoader#testFolder}) or null
     * @param listener called after every epoch
     * @throws TrainingException     no training or no validation images, fewer than two classes
     * @throws CancellationException the thread was interrupted, or the stop condition turned true
     */
    public TrainResult train(Dataset data, TestSet test, EpochListener listener) {
        requireTrainable(data);
        if (data.val().isEmpty()) {
            throw new TrainingException(Reason.NO_VAL_ITEMS, "the dataset has no validation images (" + data.train().size()
                    + " training images" + (data.skippedImages() > 0 ? ", " + data.skippedImages() + " undecodable" : "")
                    + "): the best epoch is chosen on validation accuracy, so at least one val item is needed");
        }
        long start = System.nanoTime();
        Engine engine = engine(options.threads());
        engine.setRandomSeed((int) options.seed());
        try (Fitted fitted = fit(data.classes().size(), data.train(), data.val(), options.epochs(), true, -1, listener, start)) {
            Evaluation val = evaluate(fitted.block, fitted.manager, data.classes(), data.val());
            Evaluation testEval = test == null ? null : evaluate(fitted.block, fitted.manager, data.classes(), test.items());
            int skipped = data.skippedImages() + (test == null ? 0 : test.skipped().size());
            return new TrainResult(data.classes(), options.epochs(), fitted.bestEpoch, val, testEval,
                    (System.nanoTime() - start) / 1e9, skipped, fitted.history, fitted.parameters);
        }
    }

    /** {@link #outOfFold(Dataset, int, int, EpochListener)} without a listener. */
    public OutOfFold outOfFold(Dataset data, int k, int epochs) {
        return outOfFold(data, k, epochs, EpochListener.NONE);
    }

    /**
     * Out-of-fold probabilities: train and val items together are split into {@code k} folds, stratified by label
     * (shuffled with the seed); for each fold a fresh model (seeded with {@code seed + fold}) trains {@code epochs}
     * epochs on the other folds and predicts the held-out fold. Each fold's model is its last epoch's: choosing the
     * epoch on the held-out fold would leak its labels into its own predictions.
     *
     * @throws TrainingException {@link Reason#BAD_ARGUMENT} for k &lt; 2 or more folds than items
     */
    public OutOfFold outOfFold(Dataset data, int k, int epochs, EpochListener listener) {
        requireTrainable(data);
        List<Example> all = new ArrayList<>(data.train());
        all.addAll(data.val());
        if (k < 2 || k > all.size()) {
            throw new TrainingException(Reason.BAD_ARGUMENT, "k must be between 2 and the " + all.size() + " items, got " + k);
        }
        if (epochs < 1) {
            throw new TrainingException(Reason.BAD_ARGUMENT, "epochs must be >= 1, got " + epochs);
        }
        int[] fold = stratifiedFolds(all, data.classes().size(), k, options.seed());
        Engine engine = engine(options.threads());
        long start = System.nanoTime();
        float[][] probabilities = new float[all.size()][];
        for (int f = 0; f < k; f++) {
            List<Example> train = new ArrayList<>();
            List<Integer> heldOut = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (fold[i] == f) {
                    heldOut.add(i);
                } else {
                    train.add(all.get(i));
                }
            }
            engine.setRandomSeed((int) (options.seed() + f));
            try (Fitted fitted = fit(data.classes().size(), train, List.of(), epochs, false, f, listener, start)) {
                List<Example> items = heldOut.stream().map(all::get).toList();
                float[][] p = predict(fitted.block, fitted.manager, items);
                for (int j = 0; j < p.length; j++) {
                    probabilities[heldOut.get(j)] = p[j];
                }
            }
        }
        List<OutOfFold.Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Example e = all.get(i);
            predictions.add(new OutOfFold.Prediction(e.id(), e.path(), e.label(), fold[i], probabilities[i]));
        }
        return new OutOfFold(data.classes(), k, epochs, predictions);
    }

    /** Fold per item: within each class, a seeded shuffle dealt round-robin, continuing where the last class ended. */
    static int[] stratifiedFolds(List<Example> items, int classes, int k, long seed) {
        Random random = new Random(seed);
        int[] fold = new int[items.size()];
        int next = 0;
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).label() == c) {
                    members.add(i);
                }
            }
            Collections.shuffle(members, random);
            for (int i : members) {
                fold[i] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    private static void requireTrainable(Dataset data) {
        if (data.classes().size() < 2) {
            throw new TrainingException(Reason.TOO_FEW_CLASSES, "the model needs at least 2 classes, the dataset has "
                    + data.classes());
        }
        if (data.train().isEmpty()) {
            throw new TrainingException(Reason.NO_TRAIN_ITEMS, "the dataset has no training images"
                    + (data.skippedImages() > 0 ? " (" + data.skippedImages() + " undecodable)" : ""));
        }
    }

    /** A trained model, closed with its manager. */
    private static final class Fitted implements AutoCloseable {
        final Model model;
        final NDManager manager;
        final Block block;
        int bestEpoch;
        byte[] parameters;
        final List<EpochProgress> history = new ArrayList<>();

        Fitted(Model model) {
            this.model = model;
            this.manager = model.getNDManager();
            this.block = model.getBlock();
        }

        @Override
        public void close() {
            model.close();
        }
    }

    private Fitted fit(int classes, List<Example> train, List<Example> val, int epochs, boolean keepBest, int foldIndex,
                       EpochListener listener, long start) {
        Model model = Model.newInstance("dcai-fixed-model", Device.cpu(), ENGINE);
        model.setBlock(FixedModel.build(classes));
        Fitted fitted = new Fitted(model);
        try {
            Adam adam = Adam.builder()
                    .optLearningRateTracker(Tracker.fixed(options.learningRate()))
                    .optBeta1(0.9f).optBeta2(0.999f).optEpsilon(1e-7f)
                    .build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(adam)
                    .optDevices(new Device[] {Device.cpu()})
                    .optInitializer(new FixedModel.GlorotUniform(), Parameter.Type.WEIGHT);
            Random shuffle = new Random(options.seed() + Math.max(foldIndex, 0));
            double bestAccuracy = Double.NEGATIVE_INFINITY;
            try (ai.djl.training.Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(FixedModel.inputShape(1));
                List<Parameter> trainable = new ArrayList<>();
                for (Pair<String, Parameter> p : fitted.block.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        trainable.add(p.getValue());
                    }
                }
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < train.size(); i++) {
                    order.add(i);
                }
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    Collections.shuffle(order, shuffle);
                    double lossSum = 0;
                    long correct = 0;
                    for (int from = 0; from < order.size(); from += options.batchSize()) {
                        if (Thread.currentThread().isInterrupted() || stop.getAsBoolean()) {
                            throw new CancellationException("training stopped in epoch " + epoch);
                        }
                        List<Example> batch = new ArrayList<>();
                        for (int i = from; i < Math.min(from + options.batchSize(), order.size()); i++) {
                            batch.add(train.get(order.get(i)));
                        }
                        try (NDManager bm = fitted.manager.newSubManager()) {
                            NDArray x = inputs(bm, batch);
                            NDArray y = labels(bm, batch);
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                                NDArray loss = logits.logSoftmax(1).mul(y.oneHot(classes)).sum(new int[] {1}).neg().mean();
                                collector.backward(loss);
                                lossSum += loss.getFloat() * batch.size();
                                correct += logits.argMax(1).eq(y).sum().getLong();
                            }
                            trainer.step();
                        }
                        for (Parameter p : trainable) {
                            JniUtils.zeroGrad((PtNDArray) p.getArray()); // PyTorch accumulates gradients otherwise
                        }
                    }
                    double valAccuracy = val.isEmpty() ? Double.NaN
                            : evaluate(fitted.block, fitted.manager, List.of(), val).accuracy();
                    boolean best = false;
                    if (keepBest && valAccuracy > bestAccuracy) {
                        bestAccuracy = valAccuracy;
                        fitted.bestEpoch = epoch;
                        fitted.parameters = save(fitted.block);
                        best = true;
                    }
                    EpochProgress progress = new EpochProgress(foldIndex, epoch, epochs, lossSum / train.size(),
                            (double) correct / train.size(), valAccuracy, Duration.ofNanos(System.nanoTime() - start), best);
                    fitted.history.add(progress);
                    listener.onEpoch(progress);
                }
            }
            if (!keepBest) {
                fitted.bestEpoch = epochs;
                fitted.parameters = save(fitted.block);
            } else {
                load(fitted.block, fitted.manager, fitted.parameters);
            }
            return fitted;
        } catch (RuntimeException | Error e) {
            fitted.close();
            throw e;
        }
    }

    private static NDArray inputs(NDManager manager, List<Example> batch) {
        int size = 3 * Preprocessing.SIZE * Preprocessing.SIZE;
        float[] data = new float[batch.size() * size];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).input(), 0, data, i * size, size);
        }
        return manager.create(data, FixedModel.inputShape(batch.size()));
    }

    private static NDArray labels(NDManager manager, List<Example> batch) {
        long[] labels = new long[batch.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = batch.get(i).label();
        }
        return manager.create(labels);
    }

    /** Evaluation in inference mode (BatchNorm on its moving statistics). Empty classes: accuracy only. */
    static Evaluation evaluate(Block block, NDManager manager, List<String> classes, List<Example> items) {
        float[][] p = predict(block, manager, items);
        int[] labels = items.stream().mapToInt(Example::label).toArray();
        List<String> names = classes;
        if (names.isEmpty()) {
            int n = p.length == 0 ? 0 : p[0].length;
            names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(String.valueOf(i));
            }
        }
        return Evaluation.of(names, labels, p);
    }

    /** Softmax probabilities per item, inference mode, without recording gradients. */
    static float[][] predict(Block block, NDManager manager, List<Example> items) {
        float[][] out = new float[items.size()][];
        // a fresh store each time: the trainer's store caches parameter arrays, which loading the best weights replaces
        ParameterStore store = new ParameterStore(manager, false);
        for (int from = 0; from < items.size(); from += EVAL_BATCH) {
            List<Example> batch = items.subList(from, Math.min(from + EVAL_BATCH, items.size()));
            try (NDManager bm = manager.newSubManager()) {
                NDArray logits = block.forward(store, new NDList(inputs(bm, batch)), false).singletonOrThrow();
                NDArray probabilities = logits.softmax(1);
                int classes = (int) probabilities.getShape().get(1);
                float[] flat = probabilities.toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    float[] row = new float[classes];
                    System.arraycopy(flat, i * classes, row, 0, classes);
                    out[from + i] = row;
                }
            }
        }
        return out;
    }

    static byte[] save(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void load(Block block, NDManager manager, byte[] parameters) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            block.loadParameters(manager, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("cannot reload the kept weights", e);
        }
    }

    /**
     * A model with trained weights ({@link TrainResult#parameters()}) ready for {@link #predict}-style inference: the
     * caller closes it.
     */
    public static Model loadModel(int classes, byte[] parameters) {
        engine(0);
        Model model = Model.newInstance("dcai-fixed-model", Device.cpu(), ENGINE);
        try {
            SequentialBlock block = FixedModel.build(classes);
            model.setBlock(block);
            block.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, FixedModel.inputShape(1));
            load(block, model.getNDManager(), parameters);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Class probabilities of a loaded model ({@link #loadModel}) for preprocessed images. */
    public static float[][] predict(Model model, List<Example> items) {
        return predict(model.getBlock(), model.getNDManager(), items);
    }

    private static boolean threadsSet;

    /**
     * The PyTorch engine, with its thread counts set the first time: inter-op 1 and intra-op {@code threads} through
     * DJL's system properties (read when the engine loads), then intra-op again through PyTorch for later changes.
     */
    static synchronized Engine engine(int threads) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // the natives come from pytorch-native-cpu: never download
        }
        if (!threadsSet) {
            if (threads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
            }
            if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
            threadsSet = true;
        }
        Engine engine = Engine.getEngine(ENGINE);
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
        return engine;
    }
}
