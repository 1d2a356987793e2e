package dev.loupe.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A single-node Kafka (KRaft combined broker+controller) running inside this JVM.
 *
 * <p>Ports and log directory are fixed for the lifetime of the object so that {@link #stop()} and
 * {@link #start()} behave like a real broker bouncing: clients reconnect to the same address and
 * find their topics, committed offsets and producer state again.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_PROBE_INTERVAL = Duration.ofMillis(100);

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final Properties brokerProps;

    // Volatile so isRunning() can be asked without waiting for a start()/stop() in progress.
    private volatile KafkaRaftServer server;

    private EmbeddedKafka(int port, int controllerPort, Path dataDir) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.brokerProps = brokerProperties(port, controllerPort, dataDir.resolve("logs"));
    }

    /**
     * Formats {@code dataDir} if needed and starts the broker.
     *
     * @param port the client port, or 0 for a free one
     * @param dataDir kept across {@link #stop()}/{@link #start()}; an already formatted directory
     *                is reused as is, so data survives process restarts too
     */
    public static EmbeddedKafka start(int port, Path dataDir) {
        if (port != 0 && !Ports.isFree(port)) {
            throw new PortInUseException(port, "Kafka");
        }
        EmbeddedKafka kafka = new EmbeddedKafka(port == 0 ? Ports.freePort() : port, Ports.freePort(),
                dataDir.toAbsolutePath());
        kafka.format();
        kafka.start();
        return kafka;
    }

    /**
     * Formats {@code dataDir} if needed and starts the broker on both ports given: a broker started again in another
     * process on the same ports and directory is the same broker ({@link BrokerMain}).
     */
    public static EmbeddedKafka start(int port, int controllerPort, Path dataDir) {
        EmbeddedKafka kafka = new EmbeddedKafka(port, controllerPort, dataDir.toAbsolutePath());
        kafka.format();
        kafka.start();
        return kafka;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** True from the end of {@link #start()} until {@link #stop()} is called. */
    public boolean isRunning() {
        return server != null;
    }

    /** Starts the broker on the same ports and log directory; returns once it serves clients. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long began = System.nanoTime();
        KafkaRaftServer candidate = new KafkaRaftServer(KafkaConfig.fromProps(brokerProps, false), Time.SYSTEM);
        try {
            candidate.startup();
            awaitReady();
        } catch (RuntimeException e) {
            // A half-started server would keep its sockets and log-dir lock; release both so a
            // later start() can succeed.
            shutdown(candidate);
            throw e;
        }
        server = candidate;
        LOG.info("Kafka ready at {} in {} ms", bootstrapServers(), elapsedMillis(began));
    }

    /** Clean shutdown: flushes logs and writes the clean-shutdown marker; data is kept. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long began = System.nanoTime();
        KafkaRaftServer stopping = server;
        server = null;
        shutdown(stopping);
        LOG.info("Kafka at {} stopped in {} ms", bootstrapServers(), elapsedMillis(began));
    }

    public synchronized void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    /** Writes server.properties and, for a new directory only, formats the storage. */
    private void format() {
        try {
            Files.createDirectories(dataDir);
            Path config = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                brokerProps.store(out, "Written by loupe EmbeddedKafka on every start; for reference only");
            }
            // A formatted dir carries its cluster id in meta.properties and the format tool
            // rejects any other id, so a kept data dir must be left alone.
            if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
                return;
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                    config.toString()},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("Formatting Kafka storage in " + dataDir + " failed: "
                        + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka data dir " + dataDir, e);
        }
    }

    /**
     * {@code startup()} returns before the broker is unfenced and has loaded metadata; clients
     * connecting in that window get spurious errors, so wait until the cluster is visible.
     */
    private void awaitReady() {
        Map<String, Object> adminProps = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(adminProps)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                sleep(READY_PROBE_INTERVAL);
            }
        }
        throw new IllegalStateException("Kafka at " + bootstrapServers() + " not ready within " + READY_TIMEOUT,
                last);
    }

    private static void shutdown(KafkaRaftServer s) {
        s.shutdown();
        s.awaitShutdown();
    }

    private static Properties brokerProperties(int port, int controllerPort, Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // Static voter set: the controller endpoint lives in config rather than in the metadata
        // log, so a kept data dir still works when a later run gets a different controller port.
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        // Bind loopback only: this is a developer/test broker without authentication.
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());

        // Single node: every internal topic must fit on one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Fewer internal partitions make the first consumer group / transaction start faster.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");

        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "3");

        // Sized for a 2-core laptop/CI box and for several brokers in one test JVM; the default
        // 128 MB cleaner buffer per broker would dominate a test heap.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        return p;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
