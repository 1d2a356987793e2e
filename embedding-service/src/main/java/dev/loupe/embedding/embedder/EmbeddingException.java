package dev.loupe.embedding.embedder;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Embedding did not produce a vector for every image, or inference itself failed. */
public class EmbeddingException extends RuntimeException {

    private final SortedMap<Integer, String> failures;

    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
        this.failures = new TreeMap<>();
    }

    public EmbeddingException(SortedMap<Integer, String> failures) {
        super(failures.size() + " image(s) could not be embedded: " + summary(failures));
        this.failures = new TreeMap<>(failures);
    }

    /** Per input index, why that image has no vector (empty when the whole call failed). */
    public SortedMap<Integer, String> failures() {
        return new TreeMap<>(failures);
    }

    private static String summary(Map<Integer, String> failures) {
        StringBuilder s = new StringBuilder();
        failures.entrySet().stream().limit(5).forEach(e ->
                s.append(s.isEmpty() ? "" : "; ").append('#').append(e.getKey()).append(' ').append(e.getValue()));
        return failures.size() > 5 ? s + "; ..." : s.toString();
    }
}
