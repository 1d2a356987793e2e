package dev.loupe.embedding.embedder;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Benchmark helper: embeds every image of an ImageFolder zip ({@code <split>/<label>/<file>} or {@code <label>/<file>})
 * with a TorchScript model and writes the vectors in a file both Java and numpy read:
 * {@code int32 n, int32 d} (little-endian), then {@code n * d} float32 little-endian; plus {@code <out>.labels},
 * one {@code split,label} line per row. Rows are the zip's images in a seeded shuffle, so any prefix is a fair sample.
 * <pre>java -Dai.djl.offline=true -cp ... dev.loupe.embedding.embedder.EmbedZip --zip images.zip --model m.pt --out v.f32</pre>
 */
public final class EmbedZip {

    private EmbedZip() {
    }

    public static void main(String[] args) throws Exception {
        CliArgs a = new CliArgs(args);
        Path zip = Path.of(a.require("--zip"));
        Path model = Path.of(a.require("--model"));
        Path out = Path.of(a.require("--out"));
        int chunk = 4096;
        List<String> names = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            file.stream().filter(e -> !e.isDirectory() && e.getName().toLowerCase().endsWith(".png")).forEach(e -> names.add(e.getName()));
            // Shuffled (seeded) so that the first N rows are a fair sample of every class and split
            java.util.Collections.shuffle(names, new java.util.Random(42));
            long t0 = System.nanoTime();
            try (TorchScriptEmbedder embedder = TorchScriptEmbedder.load(ModelSpec.gray64(model, "bench", "0"), EmbedderOptions.defaults());
                 DataOutputStream vectors = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16));
                 Writer labels = Files.newBufferedWriter(Path.of(out + ".labels"), StandardCharsets.UTF_8)) {
                vectors.write(littleEndian(names.size(), embedder.dimension()));
                for (int from = 0; from < names.size(); from += chunk) {
                    List<byte[]> images = new ArrayList<>();
                    for (String name : names.subList(from, Math.min(names.size(), from + chunk))) {
                        ZipEntry entry = file.getEntry(name);
                        try (var in = file.getInputStream(entry)) {
                            images.add(in.readAllBytes());
                        }
                        String[] parts = name.split("/");
                        String split = parts.length >= 3 ? parts[parts.length - 3] : "";
                        labels.write(split + "," + parts[parts.length - 2] + "\n");
                    }
                    EmbeddingResult result = embedder.embedAll(images);
                    if (!result.allSucceeded()) {
                        throw new IOException("images failed to embed: " + result.errors());
                    }
                    ByteBuffer buffer = ByteBuffer.allocate(images.size() * embedder.dimension() * 4).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < images.size(); i++) {
                        for (float v : result.vector(i)) {
                            buffer.putFloat(v);
                        }
                    }
                    vectors.write(buffer.array());
                }
            }
            System.out.printf("embedded %d images into %s in %.1f s%n", names.size(), out, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static byte[] littleEndian(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putInt(v);
        }
        return buffer.array();
    }
}
