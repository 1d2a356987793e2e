package dev.loupe.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * Before each {@code @QuarkusTest} method: RestAssured requests carry the first administrator's API token of the
 * test stack's label service, so tests that are not about access need not say it. Tests about access send their own
 * {@code Authorization} header (it replaces this one) or an empty one (anonymous).
 */
public class AdminByDefault implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        TestAuth.labelUrlOfTestStack().ifPresent(url -> {
            TestAuth.refreshIfStale(url);
            TestAuth.useAdminByDefault(url);
        });
    }
}
