package dev.loupe.embedding.embedder;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Throughput check: embeds N synthetic PNGs (drawn here, seeded) and prints images/s for preprocessing alone,
 * inference alone and end to end. Run with jemalloc preloaded and {@code -Dai.djl.offline=true}, e.g.
 * <pre>
 * LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 \
 *   java -Dai.djl.offline=true -cp ... dev.loupe.embedding.embedder.EmbeddingThroughput \
 *   --model resnet18.pt --channels 3 --n 2048 --batch 64 --image-size 256
 * </pre>
 * Options: {@code --model} (required), {@code --n} 2048, {@code --batch} 64, {@code --channels} 1,
 * {@code --size} 64, {@code --image-size} 256 (side of the synthetic images), {@code --preprocess-threads} and
 * {@code --inference-threads} (cores), {@code --rounds} 3.
 */
public final class EmbeddingThroughput {

    private EmbeddingThroughput() {
    }

    public static void main(String[] args) throws Exception {
        CliArgs a = new CliArgs(args);
        Path model = Path.of(a.get("--model", null));
        int n = a.getInt("--n", 2048);
        int cores = Runtime.getRuntime().availableProcessors();
        ModelSpec spec = ModelSpec.gray64(model, "bench", "0")
                .withInput(a.getInt("--channels", 1), a.getInt("--size", 64), ColorMode.GRAY);
        EmbedderOptions options = EmbedderOptions.defaults()
                .withBatchSize(a.getInt("--batch", 64))
                .withThreads(a.getInt("--preprocess-threads", cores), a.getInt("--inference-threads", cores));
        int rounds = a.getInt("--rounds", 3);

        List<byte[]> images = syntheticPngs(n, a.getInt("--image-size", 256), 42);
        System.out.printf("%d synthetic PNGs, %d KB on average; batch %d, %d preprocess / %d inference threads%n",
                n, images.stream().mapToInt(b -> b.length).sum() / n / 1024, options.batchSize(),
                options.preprocessThreads(), options.inferenceThreads());

        Preprocessor preprocessor = Preprocessor.forModel(spec, options.maxImagePixels());
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            images.parallelStream().forEach(image -> {
                try {
                    preprocessor.process(image);
                } catch (ImageDecodeException e) {
                    throw new IllegalStateException(e);
                }
            });
            report("preprocess only (all cores)", n, t0);
        }
        try (TorchScriptEmbedder embedder = TorchScriptEmbedder.load(spec, options)) {
            System.out.println("model " + embedder.id() + ", dimension " + embedder.dimension());
            // Inference alone on one already-preprocessed batch: directly comparable with a Python loop over
            // model(x), and the ceiling for the end-to-end figure.
            int batch = Math.min(options.batchSize(), n);
            float[] tensor = new float[batch * preprocessor.tensorLength()];
            for (int i = 0; i < batch; i++) {
                preprocessor.process(images.get(i), tensor, i * preprocessor.tensorLength());
            }
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                int done = 0;
                while (done < n) {
                    embedder.infer(tensor, batch);
                    done += batch;
                }
                report("inference only", done, t0);
            }
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                EmbeddingResult result = embedder.embedAll(images);
                report("end to end", n, t0);
                if (!result.allSucceeded()) {
                    System.out.println("failures: " + result.errors());
                }
            }
        }
    }

    private static void report(String what, int n, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-28s %6d images in %6.2f s = %8.1f images/s%n", what, n, seconds, n / seconds);
    }

    /** Gray-ish PNGs with random strokes and noise, so decoding and resizing do real work. */
    static List<byte[]> syntheticPngs(int n, int side, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int w = side / 2 + random.nextInt(side);
            int h = side / 2 + random.nextInt(side);
            BufferedImage image = new BufferedImage(w, h, i % 3 == 0 ? BufferedImage.TYPE_3BYTE_BGR
                    : BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            for (int s = 0; s < 12; s++) {
                g.setColor(new Color(random.nextInt(0x1000000)));
                g.setStroke(new BasicStroke(1 + random.nextInt(8)));
                g.drawLine(random.nextInt(w), random.nextInt(h), random.nextInt(w), random.nextInt(h));
            }
            g.dispose();
            for (int p = 0; p < w * h / 20; p++) {
                image.getRaster().setSample(random.nextInt(w), random.nextInt(h), 0, random.nextInt(256));
            }
            out.add(png(image));
        }
        return out;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
