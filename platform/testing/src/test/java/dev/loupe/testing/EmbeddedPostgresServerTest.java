package dev.loupe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import dev.loupe.devstack.EmbeddedPostgresServer;
import dev.loupe.devstack.PortInUseException;

class EmbeddedPostgresServerTest {

    private final List<Logger> quietedLoggers = ServerLogs.quiet(ServerLogs.POSTGRES);

    @Test
    void servesACreatedDatabaseAndWipesItsDataWhenNotKept() throws Exception {
        Path dir = TestDirectories.newUnderTarget("embedded-postgres-selftest");
        try {
            try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(0, dir, false)) {
                pg.createDatabaseIfMissing("selftest");
                pg.createDatabaseIfMissing("selftest"); // must be idempotent

                try (Connection c = DriverManager.getConnection(pg.jdbcUrl("selftest"), pg.username(), pg.password());
                        Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE item (id int PRIMARY KEY, label text NOT NULL)");
                    st.execute("INSERT INTO item VALUES (1, 'cat'), (2, 'dog'), (3, 'cat')");
                    assertEquals(2, singleInt(st, "SELECT count(*) FROM item WHERE label = 'cat'"));
                    assertEquals("selftest", singleString(st, "SELECT current_database()"));
                    assertEquals(300, singleInt(st, "SHOW max_connections"));
                }
            }
            assertFalse(Files.exists(dir.resolve("data")), "data dir must be removed when keepData=false");
        } finally {
            TestDirectories.deleteQuietly(dir);
        }
    }

    @Test
    void keptDataSurvivesARestartOnTheSamePort() throws Exception {
        Path dir = TestDirectories.newUnderTarget("embedded-postgres-selftest");
        try {
            int port;
            try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(0, dir, true)) {
                port = pg.port();
                pg.createDatabaseIfMissing("kept");
                execute(pg, "kept", "CREATE TABLE note (text text); INSERT INTO note VALUES ('still here')");
                assertThrows(PortInUseException.class, () -> EmbeddedPostgresServer.start(port, dir, true));
            }
            try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(port, dir, true);
                    Connection c = DriverManager.getConnection(pg.jdbcUrl("kept"), pg.username(), pg.password());
                    Statement st = c.createStatement()) {
                assertEquals("still here", singleString(st, "SELECT text FROM note"));
            }
        } finally {
            TestDirectories.deleteQuietly(dir);
        }
    }

    private static void execute(EmbeddedPostgresServer pg, String db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(db), pg.username(), pg.password());
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static int singleInt(Statement st, String sql) throws SQLException {
        return Integer.parseInt(singleString(st, sql));
    }

    private static String singleString(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
