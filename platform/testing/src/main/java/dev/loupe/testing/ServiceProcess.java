package dev.loupe.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Loupe service ({@code <service>/target/quarkus-app/quarkus-run.jar}) running as its own process, as in
 * production, so a service's tests talk to the real neighbours it depends on.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The class-data archives of the service processes this JVM runs (see {@link #quickStartOptions}). */
    private static final Set<String> ARCHIVES_IN_USE = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the service with the given configuration (as system properties) and waits until it is ready.
     *
     * @param repositoryRoot the folder holding the service modules
     */
    public static ServiceProcess start(Path repositoryRoot, String service, int port, Map<String, String> config,
                                       Path logDir) throws IOException, InterruptedException {
        ServiceProcess started = launch(repositoryRoot, service, port, config, logDir);
        started.awaitReady();
        return started;
    }

    /**
     * Starts the service's process without waiting for it; {@link #awaitReady()} waits. Several services launched
     * before any is awaited start side by side (each retries what it needs from the others until they are up).
     */
    public static ServiceProcess launch(Path repositoryRoot, String service, int port, Map<String, String> config,
                                        Path logDir) throws IOException {
        Path jar = repositoryRoot.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + service + " first (the reactor builds it"
                    + " before the modules whose tests use it)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        String archive = claimArchive(service);
        Path log = logDir.resolve(service + ".log");
        Process process;
        try {
            command.addAll(quickStartOptions(repositoryRoot, service, archive));
            command.add("-Dquarkus.http.port=" + port);
            config.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(jar.toString());
            Files.createDirectories(logDir);
            // appended: a restarted service keeps the log of its previous life
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException | RuntimeException e) {
            ARCHIVES_IN_USE.remove(archive);
            throw e;
        }
        // the JVM writes its archive as it exits: free only once it has
        process.onExit().thenRun(() -> ARCHIVES_IN_USE.remove(archive));
        return new ServiceProcess(service, process, port, log);
    }

    /**
     * JVM options that start a test's service in about half the time on a small machine, unless
     * {@code -Dloupe.services.full-jit=true} (the benchmarks measure the services as they run in production):
     * <ul>
     * <li>C1 only ({@code -XX:TieredStopAtLevel=1}): C2 compiling the start-up's code competes with five services
     * starting side by side on two cores, and a test's service runs for seconds to minutes, not hours;</li>
     * <li>a class-data archive per service in its {@code target/cds/} ({@code -XX:+AutoCreateSharedArchive}): the
     * JVM writes it when the service first stops and maps it at every later start, until the service is packaged
     * again (the JVM checks the jars and makes a new one). A second process of the same service running at the
     * same time gets an archive of its own, so two never write one file.</li>
     * </ul>
     * Measured with the five services started side by side on 2 cores: 33 s each, 13 s with both.
     */
    private static List<String> quickStartOptions(Path repositoryRoot, String service, String archiveName)
            throws IOException {
        if (Boolean.getBoolean("loupe.services.full-jit")) {
            return List.of();
        }
        Path archive = repositoryRoot.resolve(service).resolve("target/cds/" + archiveName + ".jsa");
        Files.createDirectories(archive.getParent());
        return List.of("-XX:TieredStopAtLevel=1", "-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive",
                // the JVM says so when it makes a new archive: not worth a line in every service's log
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** The first of {@code service-1}, {@code service-2}, ... that no running process of this JVM uses. */
    private static String claimArchive(String service) {
        int instance = 1;
        while (!ARCHIVES_IN_USE.add(service + "-" + instance)) {
            instance++;
        }
        return service + "-" + instance;
    }

    /** Waits until the service answers ready; stops it and fails with the end of its log if it does not. */
    public void awaitReady() throws IOException, InterruptedException {
        // a loaded machine (CI, several builds) may need longer: -Dloupe.service-start-seconds
        awaitReady(Duration.ofSeconds(Integer.getInteger("loupe.service-start-seconds", 90)));
    }

    /** The service module's name, e.g. {@code embedding-service}. */
    public String name() {
        return name;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + tail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + timeout + "; log: " + tail());
    }

    private String tail() throws IOException {
        return ChildProcesses.tail(log);
    }

    /** Kills the process at once (SIGKILL), as a crash would: no shutdown hooks, nothing flushed. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    /** Stops the services side by side (see {@link ChildProcesses#stopAll}). */
    public static void closeAll(List<ServiceProcess> services) {
        ChildProcesses.stopAll(services.stream().map(s -> s.process).toList());
    }
}
