package dev.loupe.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a real S3-compatible server ({@link S3ProxyServer}) for a {@code @QuarkusTest} and offers its address and
 * keys as {@value #ENDPOINT}, {@value #ACCESS_KEY} and {@value #SECRET_KEY}, which the test's profile maps onto the
 * service's own settings (e.g. {@code loupe.label.blobs.s3.endpoint=${loupe.test.s3.endpoint}}). Fields annotated
 * {@link InjectS3Proxy} receive the server.
 */
public class S3ProxyTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ENDPOINT = "loupe.test.s3.endpoint";
    public static final String ACCESS_KEY = "loupe.test.s3.access-key";
    public static final String SECRET_KEY = "loupe.test.s3.secret-key";

    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        server = S3ProxyServer.start();
        return Map.of(ENDPOINT, server.endpoint(), ACCESS_KEY, S3ProxyServer.IDENTITY, SECRET_KEY, S3ProxyServer.CREDENTIAL);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectS3Proxy.class, S3ProxyServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
