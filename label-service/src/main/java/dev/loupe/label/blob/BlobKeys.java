package dev.loupe.label.blob;

import java.util.regex.Pattern;

/** Object keys of images: content-addressed, {@code blobs/<first two hex digits>/<sha256>}. */
public final class BlobKeys {

    public static final String PREFIX = "blobs/";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private BlobKeys() {
    }

    /** The key of an image; refuses anything but a lowercase hex sha256, so no key escapes the prefix. */
    public static String key(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        return PREFIX + sha256.substring(0, 2) + "/" + sha256;
    }
}
