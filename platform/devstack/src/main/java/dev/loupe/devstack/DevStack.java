package dev.loupe.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Kafka and PostgreSQL for local development until SIGTERM/SIGINT.
 *
 * <p>The launcher waits for {@code <dataDir>/devstack.env} (or the READY line) and reads the
 * connection settings from it; the file exists exactly while the stack is usable.
 */
public final class DevStack {

    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

    static final String KAFKA_PORT_ENV = "LOUPE_DEVSTACK_KAFKA_PORT";
    static final String DB_PORT_ENV = "LOUPE_DEVSTACK_DB_PORT";
    static final String DATA_DIR_ENV = "LOUPE_DATA_DIR";
    static final String DATABASE = "loupe";

    private final int kafkaPort;
    private final int dbPort;
    private final Path dataDir;
    private final Path envFile;

    // Written by main, read by the shutdown hook thread.
    private volatile EmbeddedKafka kafka;
    private volatile EmbeddedPostgresServer postgres;

    DevStack(Map<String, String> env) {
        this.kafkaPort = port(env, KAFKA_PORT_ENV, 9092);
        this.dbPort = port(env, DB_PORT_ENV, 55432);
        this.dataDir = Path.of(env.getOrDefault(DATA_DIR_ENV, "./.loupe-data")).toAbsolutePath().normalize();
        this.envFile = dataDir.resolve("devstack.env");
    }

    public static void main(String[] args) {
        DevStack stack;
        try {
            stack = new DevStack(System.getenv());
            stack.checkPorts();
        } catch (IllegalArgumentException e) {
            System.err.println("DEVSTACK FAILED: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Registered before starting anything so Ctrl-C during startup still cleans up.
        Runtime.getRuntime().addShutdownHook(new Thread(stack::shutdown, "devstack-shutdown"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            LOG.error("Dev stack failed to start", e);
            System.err.println("DEVSTACK FAILED: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("DEVSTACK READY kafka=" + stack.kafka.bootstrapServers()
                + " db=" + stack.postgres.jdbcUrl(DATABASE));
        System.out.flush();
        awaitTermination();
    }

    /** Fails with a one-line message naming the port and the variable that moves it. */
    void checkPorts() {
        if (kafkaPort == dbPort) {
            throw new IllegalArgumentException("Kafka and PostgreSQL are both set to port " + kafkaPort
                    + "; change " + KAFKA_PORT_ENV + " or " + DB_PORT_ENV);
        }
        requireFree(kafkaPort, "Kafka", KAFKA_PORT_ENV);
        requireFree(dbPort, "PostgreSQL", DB_PORT_ENV);
    }

    void start() {
        kafka = EmbeddedKafka.start(kafkaPort, dataDir.resolve("kafka"));
        postgres = EmbeddedPostgresServer.start(dbPort, dataDir.resolve("postgres"), true);
        postgres.createDatabaseIfMissing(DATABASE);
        writeEnvFile();
    }

    void shutdown() {
        // Remove the file first: once we begin stopping, readers must not treat the stack as up.
        try {
            Files.deleteIfExists(envFile);
        } catch (IOException e) {
            LOG.warn("Could not delete {}", envFile, e);
        }
        EmbeddedKafka k = kafka;
        if (k != null) {
            try {
                k.close();
            } catch (RuntimeException e) {
                LOG.warn("Kafka did not stop cleanly", e);
            }
        }
        EmbeddedPostgresServer pg = postgres;
        if (pg != null) {
            try {
                pg.close();
            } catch (RuntimeException e) {
                LOG.warn("PostgreSQL did not stop cleanly", e);
            }
        }
        LOG.info("Dev stack stopped");
    }

    private void writeEnvFile() {
        String content = "LOUPE_KAFKA_BOOTSTRAP=" + kafka.bootstrapServers() + "\n"
                + "LOUPE_DB_URL=" + postgres.jdbcUrl(DATABASE) + "\n"
                + "LOUPE_DB_USER=" + postgres.username() + "\n"
                + "LOUPE_DB_PASSWORD=" + postgres.password() + "\n";
        try {
            // Temp file in the same directory so the move is a same-filesystem atomic rename.
            Path tmp = Files.createTempFile(dataDir, "devstack", ".env.tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, envFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + envFile, e);
        }
    }

    private static void requireFree(int port, String what, String envVar) {
        if (!Ports.isFree(port)) {
            throw new IllegalArgumentException(what + " port " + port + " is already in use; stop whatever "
                    + "holds it or set " + envVar + " to another port");
        }
    }

    private static int port(Map<String, String> env, String name, int defaultPort) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a valid port (1-65535)");
        }
    }

    /** The servers run on their own threads/processes; main only has to stay alive until a signal. */
    private static void awaitTermination() {
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
