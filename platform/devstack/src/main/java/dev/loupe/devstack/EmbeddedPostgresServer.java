package dev.loupe.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server (zonky's bundled binaries) run as a child process of this JVM.
 *
 * <p>Layout under {@code dataDir}: {@code data/} is the cluster, {@code dist/} holds the extracted
 * binaries. Keeping both inside {@code dataDir} means nothing is written to shared /tmp, so
 * parallel builds and different users don't trip over each other's extraction locks.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    // initdb runs with trust authentication for the bootstrap superuser, so any password works;
    // a fixed one keeps generated configs (devstack.env, test properties) stable.
    private static final String USERNAME = "postgres";
    private static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final boolean keepData;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, boolean keepData) {
        this.postgres = postgres;
        this.keepData = keepData;
    }

    /**
     * @param port the port, or 0 for a free one
     * @param keepData true keeps an existing cluster in {@code dataDir} (developer data survives
     *                 restarts of the product); false wipes it on start and on close
     */
    public static EmbeddedPostgresServer start(int port, Path dataDir, boolean keepData) {
        if (port != 0 && !Ports.isFree(port)) {
            throw new PortInUseException(port, "PostgreSQL");
        }
        long began = System.nanoTime();
        Path root = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(root.resolve("dist"));
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPort(port == 0 ? Ports.freePort() : port)
                    .setOverrideWorkingDirectory(root.resolve("dist").toFile())
                    .setDataDirectory(root.resolve("data"))
                    .setCleanDataDirectory(!keepData)
                    // Several Quarkus services with their own pools share one server in dev mode.
                    .setServerConfig("max_connections", "300")
                    // zonky's default is off, which loses the last commits (already answered) when the server is
                    // killed: a change the label service confirmed, a split version already announced on Kafka
                    .setServerConfig("synchronous_commit", "on")
                    // a kept cluster may first replay its log (after a crash, or a restored backup)
                    .setPGStartupWait(java.time.Duration.ofMinutes(2))
                    .start();
            LOG.info("PostgreSQL ready on port {} in {} ms", pg.getPort(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            return new EmbeddedPostgresServer(pg, keepData);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL in " + root, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    /** Idempotent, so callers can run it on every start against a kept data directory. */
    public void createDatabaseIfMissing(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USERNAME, PASSWORD)) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                // CREATE DATABASE takes no bind parameters; quote the identifier instead.
                create.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name, e);
        }
    }

    /**
     * Kills the server as a crash would: SIGKILL to the postmaster (its backends notice and exit), nothing flushed or
     * checkpointed. Start it again with {@link #start} on the same port and directory, data kept: it recovers from
     * its log. This instance is done with. Only for a server whose data is kept (the cleanup of one that is not
     * would delete the data the restart needs).
     */
    public void kill(Path dataDir) {
        if (!keepData) {
            throw new IllegalStateException("kill() needs a server started with keepData: its restart recovers the data");
        }
        Path pidFile = dataDir.toAbsolutePath().resolve("data").resolve("postmaster.pid");
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
            postmaster.destroyForcibly();
            postmaster.onExit().get(30, TimeUnit.SECONDS);
            // the backends exit once they see the postmaster gone; the port is free when the last one did
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Ports.isFree(port()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // releases the data directory's lock, so a server can start on it again in this JVM (the stop it tries
            // first finds no server and says so in the log)
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot kill PostgreSQL (" + pidFile + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("PostgreSQL did not die", e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}); the data dir is deleted unless kept. */
    @Override
    public void close() {
        int port = port();
        try {
            postgres.close();
            LOG.info("PostgreSQL on port {} stopped", port);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop PostgreSQL on port " + port, e);
        }
    }
}
