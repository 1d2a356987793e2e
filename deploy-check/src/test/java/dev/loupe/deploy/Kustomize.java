package dev.loupe.deploy;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Renders a Kustomize overlay with {@code kubectl kustomize}, installing kubectl with apt-get if it is absent and we may. */
final class Kustomize {

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();
    private static volatile Boolean installAttempted;

    private Kustomize() {
    }

    /** The documents of deploy/overlays/{overlay}, rendered once per test run. */
    static List<Map<String, Object>> overlay(String overlay) {
        return RENDERED.computeIfAbsent(overlay, name -> Yamls.documents(render(Repo.root().resolve("deploy/overlays").resolve(name))));
    }

    private static String render(Path dir) {
        String kubectl = kubectl();
        Assumptions.assumeTrue(kubectl != null, "kubectl is not on the PATH and apt-get could not install it (not root, or"
                + " no package source): the Kustomize overlays in deploy/ were NOT checked. Install kubectl to check them.");
        Result result = run(List.of(kubectl, "kustomize", dir.toString()), 120);
        if (result.exit() != 0) {
            throw new AssertionError("kubectl kustomize " + Repo.root().relativize(dir) + " failed (" + result.exit() + "):\n" + result.output());
        }
        return result.output();
    }

    private static synchronized String kubectl() {
        String found = onPath("kubectl");
        if (found == null && installAttempted == null) {
            installAttempted = true;
            if ("root".equals(System.getProperty("user.name")) && onPath("apt-get") != null) {
                System.err.println("deploy-check: kubectl not found, trying apt-get install -y kubectl");
                run(List.of("apt-get", "install", "-y", "-q", "kubectl"), 300);
                found = onPath("kubectl");
            }
        }
        return found;
    }

    private static String onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) {
        try {
            Path stderr = Files.createTempFile("deploy-check", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
                process.getOutputStream().close();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return new Result(-1, "timed out after " + timeoutSeconds + " s");
                }
                String text = new String(out, StandardCharsets.UTF_8);
                return new Result(process.exitValue(), process.exitValue() == 0 ? text : text + Files.readString(stderr));
            } finally {
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
