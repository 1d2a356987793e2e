package dev.loupe.testing;

import dev.loupe.devstack.EmbeddedKafka;
import dev.loupe.devstack.EmbeddedPostgresServer;
import dev.loupe.devstack.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * One broker, one database and the packaged services a service under test depends on (init arg {@code services},
 * comma separated, e.g. {@code label-service}), all real. The service under test gets the broker, the database
 * and {@code loupe.<service>-url} for each started service (e.g. {@code loupe.label-service-url}), and so does
 * every started service for the ones started before it, in the order given; tests can
 * inject the broker with {@link InjectKafkaBroker}.
 */
public class LoupeStackTestResource implements QuarkusTestResourceLifecycleManager {

    private final List<ServiceProcess> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, ServiceProcess> byName = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> configOf = new HashMap<>();
    private final Map<String, String> extraConfig = new HashMap<>();
    private Path logDir;
    private Path root;
    private List<String> serviceNames = List.of();
    private Path kafkaDir;
    private Path postgresDir;
    private EmbeddedKafka kafka;
    private EmbeddedPostgresServer postgres;
    /** Set by {@link #withDataDir}: the broker's and database's data live there, as under ./loupe up, and are kept. */
    private Path dataDir;
    /** The broker's and database's ports once started: a restart of the stack binds them again. */
    private int kafkaPort;
    private int postgresPort;
    /** Set by {@link #withBrokerProcess}: the broker runs in a child process, which faults can kill and freeze. */
    private boolean brokerInProcess;
    private BrokerProcess brokerProcess;
    private int controllerPort;
    private List<Logger> quietedLoggers; // held so the lowered levels stick, see ServerLogs

    @Override
    public void init(Map<String, String> initArgs) {
        String names = initArgs.getOrDefault("services", "");
        serviceNames = names.isBlank() ? List.of() : List.of(names.split("\\s*,\\s*"));
    }

    /** Configuration every started service gets too (call before {@link #start()}), e.g. for use outside Quarkus. */
    public LoupeStackTestResource withConfig(Map<String, String> config) {
        extraConfig.putAll(config);
        return this;
    }

    /**
     * Keeps the broker's and database's data in {@code dir} ({@code kafka/}, {@code postgres/data/}: the layout of
     * ./loupe up's data directory) instead of fresh directories deleted on stop, so {@link #stop()} and
     * {@link #start()} again resume where the stack was, on the same ports.
     */
    public LoupeStackTestResource withDataDir(Path dir) {
        this.dataDir = dir.toAbsolutePath();
        return this;
    }

    /** Runs the broker in a child process of its own ({@link BrokerProcess}) so it can be killed and frozen. */
    public LoupeStackTestResource withBrokerProcess() {
        this.brokerInProcess = true;
        return this;
    }

    /** SIGKILLs PostgreSQL's postmaster, as a crash would. */
    public void killPostgres() {
        postgres.kill(postgresDir);
    }

    /** Starts PostgreSQL again on its port and data after {@link #killPostgres()}: it recovers from its log. */
    public void restartPostgres() {
        postgres = EmbeddedPostgresServer.start(postgresPort, postgresDir, true);
    }

    /** The broker's process ({@link #withBrokerProcess}): kill, freeze, thaw and start it again. */
    public BrokerProcess broker() {
        if (brokerProcess == null) {
            throw new IllegalStateException("the broker runs in this JVM: start the stack withBrokerProcess()");
        }
        return brokerProcess;
    }

    /** A started service, by module name. */
    public ServiceProcess service(String name) {
        ServiceProcess process = byName.get(name);
        if (process == null) {
            throw new IllegalArgumentException(name + " is not started");
        }
        return process;
    }

    /**
     * Starts one more replica of a running service: the same configuration, its own port and log
     * ({@code <service>-<n>.log}); stopped with the stack.
     */
    public ServiceProcess startReplica(String name) throws IOException, InterruptedException {
        Map<String, String> config = configOf.get(name);
        if (config == null) {
            throw new IllegalArgumentException(name + " is not part of this stack");
        }
        int n = (int) services.stream().filter(s -> s.name().equals(name)).count() + 1;
        ServiceProcess replica = ServiceProcess.start(root, name, Ports.freePort(), config, logDir.resolve(name + "-" + n));
        services.add(replica);
        return replica;
    }

    /** Kills a service as a crash would (SIGKILL). */
    public void kill(String name) {
        service(name).kill();
    }

    /** Starts a killed or stopped service again, on the same port with the same configuration. */
    public ServiceProcess restart(String name) throws IOException, InterruptedException {
        ServiceProcess process;
        // several services may be restarted at once from different threads: only the bookkeeping is serialized
        synchronized (this) {
            ServiceProcess old = service(name);
            old.close();
            process = ServiceProcess.launch(root, name, old.port(), configOf.get(name), logDir);
            services.set(services.indexOf(old), process);
            byName.put(name, process);
        }
        process.awaitReady();
        return process;
    }

    @Override
    public Map<String, String> start() {
        quietedLoggers = new ArrayList<>(ServerLogs.quiet(ServerLogs.KAFKA_BROKER));
        quietedLoggers.addAll(ServerLogs.quiet(ServerLogs.POSTGRES));
        kafkaDir = dataDir != null ? dataDir.resolve("kafka") : TestDirectories.newUnderTarget("embedded-kafka");
        postgresDir = dataDir != null ? dataDir.resolve("postgres") : TestDirectories.newUnderTarget("embedded-postgres");
        // Kafka creates classes through the context class loader: give the starting thread the test's one
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        CompletableFuture<String> broker = CompletableFuture.supplyAsync(() -> {
            Thread.currentThread().setContextClassLoader(loader);
            if (!brokerInProcess) {
                kafka = EmbeddedKafka.start(kafkaPort, kafkaDir);
                return kafka.bootstrapServers();
            }
            try {
                kafkaPort = kafkaPort == 0 ? Ports.freePort() : kafkaPort;
                controllerPort = controllerPort == 0 ? Ports.freePort() : controllerPort;
                brokerProcess = BrokerProcess.start(kafkaPort, controllerPort, kafkaDir, kafkaDir.resolveSibling(
                        kafkaDir.getFileName() + "-broker.log"));
                return brokerProcess.bootstrapServers();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // kept by the server itself (so it can be killed and started again); stop() deletes fresh directories
        postgres = EmbeddedPostgresServer.start(postgresPort, postgresDir, true);
        postgres.createDatabaseIfMissing(PostgresTestResource.DATABASE);
        String bootstrap = broker.join();
        kafkaPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        postgresPort = postgres.port();

        Map<String, String> shared = Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(PostgresTestResource.DATABASE),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password());
        Map<String, String> config = new HashMap<>(shared);
        config.putAll(TestAuth.serviceConfig());
        config.putAll(extraConfig);
        root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath().normalize();
        try {
            if (logDir == null) {
                logDir = TestDirectories.newUnderTarget("service-logs");
            }
            // all launched at once, then awaited: side by side they are up in about the time of the slowest
            for (String name : serviceNames) {
                // each service also learns the URLs of those before it (the embedding service reads images from
                // the label service)
                configOf.put(name, Map.copyOf(config));
                ServiceProcess process = ServiceProcess.launch(root, name, Ports.freePort(), configOf.get(name), logDir);
                services.add(process);
                byName.put(name, process);
                config.put("loupe." + name + "-url", process.url());
            }
            for (ServiceProcess process : services) {
                process.awaitReady();
            }
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start " + serviceNames, e);
        }
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(kafka, new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class, EmbeddedKafka.class));
    }

    @Override
    public void stop() {
        ServiceProcess.closeAll(services);
        services.clear();
        byName.clear();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (brokerProcess != null) {
            brokerProcess.stop();
            brokerProcess = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        if (dataDir == null) {
            TestDirectories.deleteQuietly(kafkaDir);
            TestDirectories.deleteQuietly(postgresDir);
        }
    }
}
