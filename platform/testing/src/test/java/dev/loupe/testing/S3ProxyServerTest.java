package dev.loupe.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without its jar the S3 server fails the test that needs it, naming what is missing; it never skips. */
class S3ProxyServerTest {

    @Test
    void aMissingJarFailsWithTheReason() {
        String before = System.getProperty(S3ProxyServer.JAR_PROPERTY);
        try {
            System.clearProperty(S3ProxyServer.JAR_PROPERTY);
            IllegalStateException unset = assertThrows(IllegalStateException.class, S3ProxyServer::start);
            assertTrue(unset.getMessage().contains(S3ProxyServer.JAR_PROPERTY), unset.getMessage());

            System.setProperty(S3ProxyServer.JAR_PROPERTY, "target/no-such-s3proxy.jar");
            IllegalStateException missing = assertThrows(IllegalStateException.class, S3ProxyServer::start);
            assertTrue(missing.getMessage().contains("no-such-s3proxy.jar is missing"), missing.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(S3ProxyServer.JAR_PROPERTY);
            } else {
                System.setProperty(S3ProxyServer.JAR_PROPERTY, before);
            }
        }
    }
}
