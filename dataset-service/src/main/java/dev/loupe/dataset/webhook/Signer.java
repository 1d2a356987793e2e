package dev.loupe.dataset.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Webhook signatures: {@code Loupe-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>} with the
 * {@code Loupe-Timestamp} header (unix seconds) as timestamp and the raw body bytes. Signing the timestamp with the
 * body lets a receiver reject replays of an old delivery; the "v1=" prefix leaves room for another scheme later.
 * Framework-free, so a receiver written in Java can copy it as it is.
 */
public final class Signer {

    public static final String SCHEME = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    private Signer() {
    }

    /** The {@code Loupe-Signature} header value for this body sent at {@code timestamp} (unix seconds). */
    public static String sign(String secret, long timestamp, byte[] body) {
        return SCHEME + "=" + HexFormat.of().formatHex(hmac(secret, timestamp, body));
    }

    /**
     * Whether a delivery is authentic and fresh: the timestamp is within {@code tolerance} of {@code now} (either
     * way, for clock skew) and one of the header's {@code v1=} signatures (comma separated, so a sender can sign
     * with an old and a new secret while it is rotated) matches. Compares in constant time.
     */
    public static boolean verify(String secret, String signatureHeader, String timestampHeader, byte[] body,
                                 Instant now, Duration tolerance) {
        if (secret == null || secret.isEmpty() || signatureHeader == null || timestampHeader == null || body == null) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = hmac(secret, timestamp, body);
        boolean match = false;
        for (String part : signatureHeader.split(",")) {
            String candidate = part.strip();
            if (!candidate.startsWith(SCHEME + "=")) {
                continue;
            }
            byte[] given;
            try {
                given = HexFormat.of().parseHex(candidate.substring(SCHEME.length() + 1).toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                continue;
            }
            match |= MessageDigest.isEqual(expected, given);
        }
        return match;
    }

    private static byte[] hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
