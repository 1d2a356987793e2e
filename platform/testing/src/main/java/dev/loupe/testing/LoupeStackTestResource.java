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

    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<String, ServiceProcess> byName = new java.util.LinkedHashMap<>();
    private final Map<String, Map<String, String>> configOf = new HashMap<>();
    private final Map<String, String> extraConfig = new HashMap<>();
    private Path logDir;
    private Path root;
    private List<String> serviceNames = List.of();
    private Path kafkaDir;
    private Path postgresDir;
    private EmbeddedKafka kafka;
    private EmbeddedPostgresServer postgres;
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
        ServiceProcess old = service(name);
        old.close();
        ServiceProcess process = ServiceProcess.start(root, name, old.port(), configOf.get(name), logDir);
        services.set(services.indexOf(old), process);
        byName.put(name, process);
        return process;
    }

    @Override
    public Map<String, String> start() {
        quietedLoggers = new ArrayList<>(ServerLogs.quiet(ServerLogs.KAFKA_BROKER));
        quietedLoggers.addAll(ServerLogs.quiet(ServerLogs.POSTGRES));
        kafkaDir = TestDirectories.newUnderTarget("embedded-kafka");
        postgresDir = TestDirectories.newUnderTarget("embedded-postgres");
        // Kafka creates classes through the context class loader: give the starting thread the test's one
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        var broker = CompletableFuture.supplyAsync(() -> {
            Thread.currentThread().setContextClassLoader(loader);
            return EmbeddedKafka.start(0, kafkaDir);
        });
        postgres = EmbeddedPostgresServer.start(0, postgresDir, false);
        postgres.createDatabaseIfMissing(PostgresTestResource.DATABASE);
        kafka = broker.join();

        Map<String, String> shared = Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(PostgresTestResource.DATABASE),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password());
        Map<String, String> config = new HashMap<>(shared);
        config.putAll(TestAuth.serviceConfig());
        config.putAll(extraConfig);
        root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath().normalize();
        try {
            for (String name : serviceNames) {
                // each service also learns the URLs of those started before it (the embedding service reads images
                // from the label service)
                configOf.put(name, Map.copyOf(config));
                if (logDir == null) {
                    logDir = TestDirectories.newUnderTarget("service-logs");
                }
                ServiceProcess process = ServiceProcess.start(root, name, Ports.freePort(), configOf.get(name), logDir);
                services.add(process);
                byName.put(name, process);
                config.put("loupe." + name + "-url", process.url());
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
        services.forEach(ServiceProcess::close);
        services.clear();
        byName.clear();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        TestDirectories.deleteQuietly(kafkaDir);
        TestDirectories.deleteQuietly(postgresDir);
    }
}
