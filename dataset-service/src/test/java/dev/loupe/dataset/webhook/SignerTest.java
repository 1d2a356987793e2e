package dev.loupe.dataset.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignerTest {

    private static final String SECRET = "whsec_0123456789abcdef";
    private static final long TIMESTAMP = 1_700_000_000L;
    private static final byte[] BODY = "{\"projectId\":\"7d3f2c1e-0000-4000-8000-000000000001\",\"name\":\"v1\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(TIMESTAMP + 10);
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    @Test
    void signatureMatchesAnIndependentlyComputedVector() {
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_0123456789abcdef",
        //   b"1700000000." + b"{\"projectId\":\"7d3f2c1e-0000-4000-8000-000000000001\",\"name\":\"v1\"}",
        //   hashlib.sha256).hexdigest())'
        assertEquals("v1=cc5dbc19a4c4320db31a7b724262252b51d9327fd356a85164c74ab7e427c251",
                Signer.sign(SECRET, TIMESTAMP, BODY));
    }

    @Test
    void authenticFreshDeliveryIsAccepted() {
        String signature = Signer.sign(SECRET, TIMESTAMP, BODY);
        assertTrue(Signer.verify(SECRET, signature, "1700000000", BODY, NOW, TOLERANCE));
        assertTrue(Signer.verify(SECRET, signature.toUpperCase().replace("V1=", "v1="), "1700000000", BODY, NOW, TOLERANCE));
        // several signatures (a secret being rotated): one match is enough
        assertTrue(Signer.verify(SECRET, "v1=" + "00".repeat(32) + ", " + signature, "1700000000", BODY, NOW, TOLERANCE));
    }

    @Test
    void tamperedBodyTimestampOrSecretIsRejected() {
        String signature = Signer.sign(SECRET, TIMESTAMP, BODY);
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] = 'X';
        assertFalse(Signer.verify(SECRET, signature, "1700000000", tampered, NOW, TOLERANCE));
        assertFalse(Signer.verify(SECRET, signature, "1700000001", BODY, NOW, TOLERANCE));
        assertFalse(Signer.verify("whsec_another_secret_0000", signature, "1700000000", BODY, NOW, TOLERANCE));
    }

    @Test
    void oldOrFutureTimestampIsRejectedEvenWithAValidSignature() {
        String signature = Signer.sign(SECRET, TIMESTAMP, BODY);
        assertTrue(Signer.verify(SECRET, signature, "1700000000", BODY, Instant.ofEpochSecond(TIMESTAMP + 300), TOLERANCE));
        assertFalse(Signer.verify(SECRET, signature, "1700000000", BODY, Instant.ofEpochSecond(TIMESTAMP + 301), TOLERANCE));
        assertFalse(Signer.verify(SECRET, signature, "1700000000", BODY, Instant.ofEpochSecond(TIMESTAMP - 301), TOLERANCE));
    }

    @Test
    void malformedHeadersAreRejectedNotThrown() {
        String hex = Signer.sign(SECRET, TIMESTAMP, BODY).substring(3);
        assertFalse(Signer.verify(SECRET, hex, "1700000000", BODY, NOW, TOLERANCE)); // no scheme
        assertFalse(Signer.verify(SECRET, "v0=" + hex, "1700000000", BODY, NOW, TOLERANCE));
        assertFalse(Signer.verify(SECRET, "v1=zz", "1700000000", BODY, NOW, TOLERANCE));
        assertFalse(Signer.verify(SECRET, "v1=" + hex.substring(2), "1700000000", BODY, NOW, TOLERANCE));
        assertFalse(Signer.verify(SECRET, "v1=" + hex, "yesterday", BODY, NOW, TOLERANCE));
        assertFalse(Signer.verify(SECRET, null, "1700000000", BODY, NOW, TOLERANCE));
        assertFalse(Signer.verify(SECRET, "v1=" + hex, null, BODY, NOW, TOLERANCE));
        assertFalse(Signer.verify("", "v1=" + hex, "1700000000", BODY, NOW, TOLERANCE));
    }
}
