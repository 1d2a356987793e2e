package dev.loupe.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import dev.loupe.devstack.EmbeddedPostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a private PostgreSQL for a {@code @QuarkusTest} and points the default datasource at
 * its {@value #DATABASE} database. Setting the JDBC URL also keeps Dev Services from starting a
 * container.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Same name as in the dev stack, so SQL that names the database behaves the same in tests. */
    public static final String DATABASE = "loupe";

    private Path dataDir;
    private EmbeddedPostgresServer postgres;
    private List<Logger> quietedLoggers; // held only so the lowered levels stick, see ServerLogs

    @Override
    public Map<String, String> start() {
        quietedLoggers = ServerLogs.quiet(ServerLogs.POSTGRES);
        dataDir = TestDirectories.newUnderTarget("embedded-postgres");
        postgres = EmbeddedPostgresServer.start(0, dataDir, false);
        postgres.createDatabaseIfMissing(DATABASE);
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(DATABASE),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password());
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        TestDirectories.deleteQuietly(dataDir);
    }
}
