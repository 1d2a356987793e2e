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
import java.util.concurrent.TimeUnit;

/**
 * A packaged Loupe service ({@code <service>/target/quarkus-app/quarkus-run.jar}) running as its own process, as in
 * production, so a service's tests talk to the real neighbours it depends on.
 */
public final class ServiceProcess implements AutoCloseable {

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
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(logDir);
        Path log = logDir.resolve(service + ".log");
        // appended: a restarted service keeps the log of its previous life
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServiceProcess(service, process, port, log);
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
}
