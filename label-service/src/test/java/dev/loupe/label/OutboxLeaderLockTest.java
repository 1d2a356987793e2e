package dev.loupe.label;

import dev.loupe.common.outbox.OutboxRelay;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The services share one database: each service's relays compete for leadership only among themselves. */
@QuarkusTest
class OutboxLeaderLockTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void relaysOfDifferentSchemasLeadAtOnceAndRelaysOfOneSchemaTakeTurns() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS lock_test_a");
            s.execute("CREATE SCHEMA IF NOT EXISTS lock_test_b");
        }
        try (Connection a1 = inSchema("lock_test_a"); Connection a2 = inSchema("lock_test_a");
             Connection b = inSchema("lock_test_b")) {
            assertTrue(tryLead(a1), "the first relay of schema a leads");
            assertTrue(tryLead(b), "the relay of schema b leads while a's leader holds its lock");
            assertFalse(tryLead(a2), "a second relay of schema a waits for a's leader");
            a1.commit(); // the lock is transaction-scoped
            assertTrue(tryLead(a2), "once a's leader committed, the other relay of a leads");
            a2.commit();
            b.commit();
        }
    }

    private Connection inSchema(String schema) throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL search_path TO " + schema); // LOCAL: the pooled connection keeps its schema
        }
        return c;
    }

    private static boolean tryLead(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(OutboxRelay.TRY_LEAD_SQL)) {
            r.next();
            return r.getBoolean(1);
        }
    }
}
