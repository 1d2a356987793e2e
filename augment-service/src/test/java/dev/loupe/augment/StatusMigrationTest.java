package dev.loupe.augment;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Jobs stored before the statuses became enums keep their state, in the enums' names. */
@QuarkusTest
class StatusMigrationTest {

    @Inject
    AgroalDataSource db;

    @Test
    void lowerCaseStatusesOfStoredJobsBecomeTheEnumNames() throws SQLException {
        String schema = "augment_migration_" + Long.toHexString(System.nanoTime());
        flyway(schema, "1").migrate();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            String[] old = {"queued", "running", "done", "failed"};
            for (int i = 0; i < old.length; i++) {
                s.executeUpdate("INSERT INTO " + schema + ".augment_job (job_id, project_id, kind, request, request_hash, "
                        + "status, total, seed, created_by, created_at) VALUES ('00000000-0000-0000-0000-00000000000" + i
                        + "', '00000000-0000-0000-0000-0000000000aa', 'augment', '{}', 'h', '" + old[i] + "', 3, 1, 'test', now())");
            }
            String[] units = {"pending", "done", "failed"};
            for (int i = 0; i < units.length; i++) {
                s.executeUpdate("INSERT INTO " + schema + ".augment_unit (job_id, seq, label, seed, status) VALUES "
                        + "('00000000-0000-0000-0000-000000000002', " + i + ", 'x', 1, '" + units[i] + "')");
            }
        }

        flyway(schema, null).migrate();

        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            assertEquals(Map.of("00000000-0000-0000-0000-000000000000", "QUEUED", "00000000-0000-0000-0000-000000000001",
                    "RUNNING", "00000000-0000-0000-0000-000000000002", "COMPLETED", "00000000-0000-0000-0000-000000000003",
                    "FAILED"), column(s, "SELECT job_id, status FROM " + schema + ".augment_job"));
            assertEquals(Map.of("0", "PENDING", "1", "DONE", "2", "FAILED"),
                    column(s, "SELECT seq, status FROM " + schema + ".augment_unit"));
            // the checks follow: an old value can no longer be stored
            assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE " + schema + ".augment_job SET status = 'done'"));
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private Flyway flyway(String schema, String target) {
        var config = Flyway.configure().dataSource(db).schemas(schema).locations("classpath:db/migration");
        return (target == null ? config : config.target(target)).load();
    }

    private static Map<String, String> column(Statement s, String sql) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        }
        return values;
    }
}
