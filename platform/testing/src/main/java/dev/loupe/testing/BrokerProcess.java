package dev.loupe.testing;

import dev.loupe.devstack.BrokerMain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The embedded Kafka broker in a child process ({@link BrokerMain}), so a test can do to it what happens to a real
 * one: kill it (SIGKILL), freeze it (SIGSTOP, SIGCONT) and start it again on the same ports and data.
 */
public final class BrokerProcess {

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final Path log;
    private Process process;

    private BrokerProcess(int port, int controllerPort, Path dataDir, Path log) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** Starts a broker on these ports and data directory (formatted if new) and waits until it serves clients. */
    public static BrokerProcess start(int port, int controllerPort, Path dataDir, Path log) throws IOException {
        BrokerProcess broker = new BrokerProcess(port, controllerPort, dataDir.toAbsolutePath(), log);
        broker.start();
        return broker;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the broker again (after {@link #kill} or {@link #stop}); returns once it serves clients. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        Files.createDirectories(log.getParent());
        long readyBefore = readyLines();
        // C1 only: a broker restarted under load is ready sooner without C2 compiling its start-up (ServiceProcess)
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(), String.valueOf(port),
                String.valueOf(controllerPort), dataDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (readyLines() == readyBefore) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + "; log: " + ChildProcesses.tail(log));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the broker was not ready within 120 s; log: " + ChildProcesses.tail(log));
            }
            ChildProcesses.sleep(100);
        }
    }

    /** How many times a broker of this log said it was ready (the log is appended to across restarts). */
    private long readyLines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith(BrokerMain.READY)).count() : 0;
    }

    /** SIGKILL, as a crash or an OOM kill would: nothing flushed. */
    public synchronized void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: a clean shutdown. */
    public synchronized void stop() {
        if (process != null) {
            ChildProcesses.stop(process);
        }
    }

    /** SIGSTOP: the broker stops answering, its connections stay open (a long GC pause, a frozen VM). */
    public void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    private void waitFor() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
