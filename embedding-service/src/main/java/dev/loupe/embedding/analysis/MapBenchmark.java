package dev.loupe.embedding.analysis;

import dev.loupe.embedding.embedder.CliArgs;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Benchmark of the map path on a vector file written by {@code EmbedZip}: for each size (the first N rows) the full
 * map ({@link MapProjector}: PCA, k-NN graph, UMAP layout), then what the service does between full runs: placing one
 * newly added point by its neighbours, and answering a neighbour query. Writes each map as {@code <out>-<N>.f32}
 * ({@code int32 n, int32 2}, float32 rows) so the peer's map can be scored on the same footing.
 * <pre>java -cp ... dev.loupe.embedding.analysis.MapBenchmark --vectors v.f32 --sizes 3000,10000,100000 --out maps/loupe</pre>
 */
public final class MapBenchmark {

    private MapBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        CliArgs a = new CliArgs(args);
        float[][] all = read(Path.of(a.require("--vectors")));
        Path out = Path.of(a.get("--out", "map"));
        int[] sizes = Arrays.stream(a.get("--sizes", "3000,10000,100000").split(",")).mapToInt(Integer::parseInt).toArray();
        int queries = 100;
        System.out.printf("%d vectors of dimension %d; %d cores; map settings %s%n", all.length, all[0].length,
                Runtime.getRuntime().availableProcessors(), MapProjector.Settings.defaults());
        for (int n : sizes) {
            if (n > all.length) {
                throw new IllegalArgumentException("only " + all.length + " vectors, asked for " + n);
            }
            float[][] vectors = Arrays.copyOf(all, n);
            long t0 = System.nanoTime();
            MapProjector.Projection projection = new MapProjector(MapProjector.Settings.defaults()).projectTimed(vectors);
            double[][] xy = projection.xy();
            double mapSeconds = (System.nanoTime() - t0) / 1e9;
            write(xy, Path.of(out + "-" + n + ".f32"));

            // One image arrives after the full run. What the service does before it shows on the map: rebuild the
            // project's in-memory index with the new row (its snapshot), find the new row's nearest mapped
            // neighbours and place it among them. Then a neighbour query as the REST endpoint answers it.
            Random random = new Random(7);
            long[] place = new long[queries];
            long[] query = new long[queries];
            for (int q = 0; q < queries; q++) {
                int row = random.nextInt(n);
                long s = System.nanoTime();
                VectorIndex index = new VectorIndex(vectors);
                double[] p = MapProjector.place(index.nearest(vectors[row], MapProjector.PLACEMENT_NEIGHBORS, row), xy);
                place[q] = System.nanoTime() - s;
                if (Double.isNaN(p[0] + p[1])) {
                    throw new IllegalStateException("NaN position");
                }
                s = System.nanoTime();
                index.nearest(vectors[row], 20, row);
                query[q] = System.nanoTime() - s;
            }
            System.out.printf("LOUPE n=%d map %.2f s (%s)%n", n, mapSeconds, projection);
            System.out.printf("LOUPE n=%d new image on the map (index rebuild + placement) median %.1f ms, p99 %.1f ms; "
                            + "neighbour query k=20 median %.2f ms, p99 %.2f ms%n",
                    n, millis(place, 0.5), millis(place, 0.99), millis(query, 0.5), millis(query, 0.99));
        }
    }

    private static double millis(long[] nanos, double quantile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(quantile * sorted.length))] / 1e6;
    }

    /** Reads {@code int32 n, int32 d, n*d float32}, little-endian. */
    public static float[][] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            ByteBuffer header = ByteBuffer.wrap(data.readNBytes(8)).order(ByteOrder.LITTLE_ENDIAN);
            int n = header.getInt();
            int d = header.getInt();
            float[][] rows = new float[n][d];
            byte[] row = new byte[d * 4];
            for (int i = 0; i < n; i++) {
                data.readFully(row);
                ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(rows[i]);
            }
            return rows;
        }
    }

    private static void write(double[][] xy, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ByteBuffer buffer = ByteBuffer.allocate(8 + xy.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(xy.length).putInt(2);
        for (double[] p : xy) {
            buffer.putFloat((float) p[0]).putFloat((float) p[1]);
        }
        Files.write(file, buffer.array());
    }
}
