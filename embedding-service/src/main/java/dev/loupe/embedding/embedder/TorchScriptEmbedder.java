package dev.loupe.embedding.embedder;

import dev.loupe.common.util.Causes;
import dev.loupe.common.util.Digests;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A CNN embedder running a TorchScript file with DJL's PyTorch engine, fully offline.
 *
 * <p>Pipeline: images are split into batches; the batch after the current one is decoded and resized on a private
 * preprocessing pool while the calling thread runs inference on the current one, so inference never waits for
 * decoding except on the first batch.
 *
 * <p>Thread-safety: safe for concurrent {@link #embedAll} calls. Preprocessing of concurrent calls shares the pool;
 * inference goes through one DJL {@link Predictor} (not thread-safe itself) under a lock, because libtorch already
 * spreads one forward pass over {@code inferenceThreads} cores and two passes at once would only compete for them.
 * {@link #close()} must not race with running calls.
 */
public final class TorchScriptEmbedder implements Embedder, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TorchScriptEmbedder.class.getName());
    private static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private final ModelSpec spec;
    private final EmbedderOptions options;
    private final Preprocessor preprocessor;
    private final Model model;
    private final Predictor<TensorBatch, float[][]> predictor;
    private final ReentrantLock inferenceLock = new ReentrantLock();
    private final ExecutorService preprocessPool;
    private final String id;
    private final int dimension;

    private TorchScriptEmbedder(ModelSpec spec, EmbedderOptions options, Model model,
                                String sha256) {
        this.spec = spec;
        this.options = options;
        this.preprocessor = Preprocessor.forModel(spec, options.maxImagePixels());
        this.model = model;
        this.predictor = model.newPredictor(new BatchTranslator(spec));
        this.id = spec.id() + "@" + spec.version() + "/sha256:" + sha256.substring(0, 12) + "/" + preprocessor.contract();
        try {
            this.dimension = probeDimension();
        } catch (RuntimeException e) {
            predictor.close();
            throw e;
        }
        this.preprocessPool = Executors.newFixedThreadPool(options.preprocessThreads(), daemonThreads(spec.id()));
    }

    /**
     * Loads and probes the model.
     *
     * @throws ModelLoadException naming the file and the reason if the file is missing, is not TorchScript, does
     *                            not accept the declared input or lacks the declared output
     */
    public static TorchScriptEmbedder load(ModelSpec spec, EmbedderOptions options) {
        Path file = spec.modelFile();
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file, "no such file", null);
        }
        if (!Files.isReadable(file)) {
            throw new ModelLoadException(file, "file is not readable", null);
        }
        String sha256 = sha256(file);
        requireOffline();
        // Model API directly rather than Criteria: no repository layer to resolve (or warn about) the path, and a
        // model that fails to load is closed here instead of leaking native memory until finalisation.
        Model model;
        try {
            model = Model.newInstance(spec.id(), Device.cpu(), "PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new ModelLoadException(file, "PyTorch engine unavailable: " + rootMessage(e), e);
        }
        try {
            // mapLocation: models traced on a GPU still load on a CPU-only host.
            model.load(file.toAbsolutePath().getParent(), file.getFileName().toString(), Map.of("mapLocation", "true"));
            // libtorch's intra-op pool is process-wide; set it once the engine is up.
            JniUtils.setNumThreads(options.inferenceThreads());
        } catch (MalformedModelException | IOException | RuntimeException e) {
            // libtorch reports unreadable archives as ai.djl.engine.EngineException (a RuntimeException).
            model.close();
            throw new ModelLoadException(file, rootMessage(e), e);
        }
        try {
            return new TorchScriptEmbedder(spec, options, model, sha256);
        } catch (RuntimeException e) {
            model.close();
            throw e instanceof ModelLoadException ? e : new ModelLoadException(file, rootMessage(e), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    public ModelSpec spec() {
        return spec;
    }

    public Preprocessor preprocessor() {
        return preprocessor;
    }

    @Override
    public EmbeddingResult embedAll(List<byte[]> images) {
        int n = images.size();
        float[][] vectors = new float[n][];
        SortedMap<Integer, String> errors = new TreeMap<>();
        int batchSize = options.batchSize();
        PendingBatch next = n == 0 ? null : prepare(images, 0, Math.min(batchSize, n));
        while (next != null) {
            PendingBatch current = next;
            int nextStart = current.start + current.size;
            // Start decoding the following batch before running this one: that is the overlap.
            next = nextStart < n ? prepare(images, nextStart, Math.min(nextStart + batchSize, n)) : null;
            current.await();
            int[] ok = current.succeeded();
            for (int i = 0; i < current.size; i++) {
                if (current.errors[i] != null) {
                    errors.put(current.start + i, current.errors[i]);
                }
            }
            if (ok.length > 0) {
                float[][] out = infer(current.tensor(ok), ok.length);
                for (int j = 0; j < ok.length; j++) {
                    vectors[current.start + ok[j]] = out[j];
                }
            }
        }
        return new EmbeddingResult(vectors, errors);
    }

    @Override
    public void close() {
        preprocessPool.shutdownNow();
        predictor.close();
        model.close();
    }

    private PendingBatch prepare(List<byte[]> images, int from, int to) {
        PendingBatch batch = new PendingBatch(from, to - from, preprocessor.tensorLength());
        for (int i = 0; i < batch.size; i++) {
            int slot = i;
            byte[] image = images.get(from + i);
            batch.tasks[i] = CompletableFuture.runAsync(() -> batch.fill(slot, image), preprocessPool);
        }
        return batch;
    }

    /** One forward pass over {@code count} preprocessed images (package-private for the throughput check). */
    float[][] infer(float[] data, int count) {
        inferenceLock.lock();
        try {
            float[][] out = predictor.predict(new TensorBatch(data, count));
            if (out.length != count) {
                throw new EmbeddingException("model returned " + out.length + " vectors for " + count + " images",
                        null);
            }
            return out;
        } catch (TranslateException | RuntimeException e) {
            if (e instanceof EmbeddingException ee) {
                throw ee;
            }
            throw new EmbeddingException("inference failed for model " + id + ": " + rootMessage(e), e);
        } finally {
            inferenceLock.unlock();
        }
    }

    /** Runs a blank image through the model: proves input and output fit and tells the vector size. */
    private int probeDimension() {
        float[] blank = new float[preprocessor.tensorLength()];
        try {
            preprocessor.process(blankPng(spec.inputSize()), blank, 0);
        } catch (ImageDecodeException e) {
            throw new IllegalStateException("cannot build the probe image", e);
        }
        float[][] out;
        try {
            out = infer(blank, 1);
        } catch (EmbeddingException e) {
            throw new ModelLoadException(spec.modelFile(), "probe inference with input [1, " + spec.inputChannels()
                    + ", " + spec.inputSize() + ", " + spec.inputSize() + "] failed: " + e.getMessage(), e);
        }
        if (out[0].length == 0) {
            throw new ModelLoadException(spec.modelFile(), "output " + spec.outputIndex() + " is empty", null);
        }
        LOG.log(System.Logger.Level.INFO, "Loaded embedder {0}: {1} dimensions, batch {2}, {3} inference thread(s)",
                id, out[0].length, options.batchSize(), options.inferenceThreads());
        return out[0].length;
    }

    private static byte[] blankPng(int size) {
        var image = new java.awt.image.BufferedImage(size, size, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        Arrays.fill(((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData(), (byte) 255);
        var bytes = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The service must never download engines or models at run time. DJL only stays off the network with
     * {@code ai.djl.offline=true}; if the launcher did not set it, set it before DJL reads it rather than risk a
     * download (the native library comes from the pytorch-native-cpu jar on the class path).
     */
    private static void requireOffline() {
        if (System.getProperty(OFFLINE_PROPERTY) == null) {
            LOG.log(System.Logger.Level.WARNING, "{0} was not set; setting it to true", OFFLINE_PROPERTY);
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Digests.sha256(in);
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        String message = Causes.rootMessage(e);
        // libtorch messages carry a C++ stack trace after the first lines; the first line is the reason.
        int cut = message.indexOf("\nException raised from");
        return (cut > 0 ? message.substring(0, cut) : message).strip();
    }

    private static ThreadFactory daemonThreads(String modelId) {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "loupe-preprocess-" + modelId + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One batch being preprocessed: its tensor buffer, per-slot errors and the tasks filling them. */
    private final class PendingBatch {
        final int start;
        final int size;
        final int length;
        final float[] data;
        final String[] errors;
        final CompletableFuture<?>[] tasks;

        PendingBatch(int start, int size, int length) {
            this.start = start;
            this.size = size;
            this.length = length;
            this.data = new float[size * length];
            this.errors = new String[size];
            this.tasks = new CompletableFuture<?>[size];
        }

        void fill(int slot, byte[] image) {
            try {
                if (image == null) {
                    errors[slot] = "no image bytes";
                    return;
                }
                preprocessor.process(image, data, slot * length);
            } catch (ImageDecodeException e) {
                errors[slot] = e.getMessage();
            } catch (RuntimeException | OutOfMemoryError e) {
                errors[slot] = "preprocessing failed: " + e;
            }
        }

        /** Joining the futures also publishes the slots' writes to this thread (happens-before). */
        void await() {
            try {
                CompletableFuture.allOf(tasks).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddingException("interrupted while preprocessing", e);
            } catch (ExecutionException e) {
                throw new EmbeddingException("preprocessing task failed: " + e.getCause(), e.getCause());
            }
        }

        int[] succeeded() {
            int[] ok = new int[size];
            int k = 0;
            for (int i = 0; i < size; i++) {
                if (errors[i] == null) {
                    ok[k++] = i;
                }
            }
            return Arrays.copyOf(ok, k);
        }

        /** The batch tensor of the successful slots only (a copy only when some slot failed). */
        float[] tensor(int[] ok) {
            if (ok.length == size) {
                return data;
            }
            float[] compact = new float[ok.length * length];
            for (int j = 0; j < ok.length; j++) {
                System.arraycopy(data, ok[j] * length, compact, j * length, length);
            }
            return compact;
        }
    }

    /** The ids of loaded embedders appear in logs; keep them readable. */
    @Override
    public String toString() {
        return "TorchScriptEmbedder[" + id + ", dim=" + dimension + "]";
    }
}
