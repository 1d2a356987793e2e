package dev.loupe.embedding.embedder;

/** {@code --name value} pairs of the benchmark command lines (EmbeddingThroughput, EmbedZip, MapBenchmark). */
public record CliArgs(String[] args) {

    /** The value after {@code name}; {@code fallback} when absent, which must not be null for a required one. */
    public String get(String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return fallback;
    }

    public String require(String name) {
        return get(name, null);
    }

    public int getInt(String name, int fallback) {
        return Integer.parseInt(get(name, String.valueOf(fallback)));
    }
}
