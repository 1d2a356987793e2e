package dev.loupe.testing;

import dev.loupe.devstack.Ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real S3-compatible server for tests: s3proxy ({@code org.gaul:s3proxy}, its jar-with-dependencies copied into
 * the module's {@code target/} by the build and named by the system property {@value #JAR_PROPERTY}) as a child
 * process on a free port, storing objects in a scratch folder under {@code target/} (the jclouds filesystem backend)
 * and checking AWS v2/v4 signatures with {@link #IDENTITY} and {@link #CREDENTIAL}. A missing jar fails the test, it
 * never skips it. {@link #stop} ends the process; a JVM shutdown hook does too.
 */
public final class S3ProxyServer implements AutoCloseable {

    /** The system property naming the s3proxy jar-with-dependencies. */
    public static final String JAR_PROPERTY = "loupe.s3proxy.jar";
    /** The access key and secret key the server accepts. */
    public static final String IDENTITY = "loupe-test";
    public static final String CREDENTIAL = "loupe-test-secret";

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final Path log;
    private final Thread shutdownHook;

    private S3ProxyServer(Process process, int port, Path dataDir, Path log) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
        this.shutdownHook = new Thread(this::destroy, "s3proxy-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a server with an empty store and waits (up to two minutes) until it answers HTTP. */
    public static S3ProxyServer start() {
        Path jar = jar();
        Path dataDir = TestDirectories.newUnderTarget("s3proxy");
        int port = Ports.freePort();
        try {
            Path blobs = Files.createDirectories(dataDir.resolve("blobs"));
            Path properties = dataDir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + IDENTITY,
                    "s3proxy.credential=" + CREDENTIAL,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + blobs,
                    ""));
            Path log = dataDir.resolve("s3proxy.log");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toString(), "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            S3ProxyServer server = new S3ProxyServer(process, port, dataDir, log);
            server.awaitAnswer(Duration.ofMinutes(2));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start s3proxy", e);
        }
    }

    /** The jar named by {@value #JAR_PROPERTY}; fails (never skips) when the build did not provide it. */
    static Path jar() {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set: the module's build copies "
                    + "org.gaul:s3proxy:jar-with-dependencies into target/ and passes its path to the tests");
        }
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: the build copies org.gaul:s3proxy:jar-with-dependencies "
                    + "there (maven-dependency-plugin, phase generate-test-resources)");
        }
        return path;
    }

    /** E.g. {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    private void awaitAnswer(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("s3proxy exited with " + process.exitValue() + "; log: " + tail());
                }
                if (Instant.now().isAfter(deadline)) {
                    stop();
                    throw new IllegalStateException("s3proxy did not answer within " + timeout + "; log: " + tail());
                }
                try {
                    // any HTTP answer (403 for an unsigned request) means it serves
                    http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while starting s3proxy", e);
        }
    }

    private String tail() {
        try {
            return ChildProcesses.tail(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Ends the server and deletes its objects. */
    public void stop() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran already
        }
        TestDirectories.deleteQuietly(dataDir);
    }

    /** Ends the process, keeping its objects and log (for a test of a store that went away). */
    public void kill() {
        destroy();
    }

    private void destroy() {
        ChildProcesses.stop(process);
    }

    @Override
    public void close() {
        stop();
    }
}
