package dev.loupe.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers for the servers tests run as child processes ({@link ServiceProcess}, {@link S3ProxyServer}). */
final class ChildProcesses {

    private ChildProcesses() {
    }

    /** Asks the process to end, then forces it after 20 seconds. */
    static void stop(Process process) {
        stopAll(List.of(process));
    }

    /**
     * Asks every process to end at once, then forces those still running 20 seconds later: a service's graceful
     * stop is mostly waiting (its consumers leave their groups one after another), so five stop in the time of one.
     */
    static void stopAll(List<Process> processes) {
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            for (Process process : processes) {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            processes.forEach(Process::destroyForcibly);
        }
    }

    /** The last 40 lines of a log, for a failure message. */
    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Sleeps; an interruption ends the test's wait with an exception (the flag set again). */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
