package dev.loupe.label.blob;

import java.util.Optional;
import java.util.regex.Pattern;

/** An object or prefix in a bucket, written {@code s3://bucket/key}. */
public record S3Uri(String bucket, String key) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    static final int MAX_KEY = 1024;

    /** The URI's bucket and key, or empty when it is not {@code s3://<bucket name>/<key>} (the key may be empty). */
    public static Optional<S3Uri> parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            return Optional.empty();
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches() || key.length() > MAX_KEY || key.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        return Optional.of(new S3Uri(bucket, key));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
