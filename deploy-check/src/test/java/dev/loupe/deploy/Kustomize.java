package dev.loupe.deploy;

import org.junit.jupiter.api.Assertions;
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

/**
 * Renders a Kustomize overlay with {@code kubectl kustomize}. Without kubectl the checks fail under CI ({@code CI=true},
 * where .ci/run installs it) and are skipped, with a banner on stderr, on a developer's machine.
 */
final class Kustomize {

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();
    private static final String REQUIRE_PROPERTY = "loupe.require-kubectl";

    private Kustomize() {
    }

    /**
     * The documents of deploy/overlays/{overlay}, rendered once per test run. {@code dev+keycloak} is the dev overlay
     * with the optional component deploy/components/keycloak added, as a user's overlay would add it.
     */
    static List<Map<String, Object>> overlay(String overlay) {
        return RENDERED.computeIfAbsent(overlay, name -> Yamls.documents(render(directory(name))));
    }

    private static Path directory(String overlay) {
        String[] parts = overlay.split("\\+");
        Path base = Repo.root().resolve("deploy/overlays").resolve(parts[0]);
        if (parts.length == 1) {
            return base;
        }
        try {
            Path dir = Files.createTempDirectory("deploy-check-" + parts[0]);
            StringBuilder kustomization = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
                    .append("namespace: ").append(namespaceOf(base)).append("\nresources:\n  - ").append(dir.relativize(base)).append("\ncomponents:\n");
            for (int i = 1; i < parts.length; i++) {
                kustomization.append("  - ").append(dir.relativize(Repo.root().resolve("deploy/components").resolve(parts[i]))).append('\n');
            }
            Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
            dir.toFile().deleteOnExit();
            dir.resolve("kustomization.yaml").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String namespaceOf(Path overlay) throws IOException {
        return String.valueOf(Yamls.documents(Files.readString(overlay.resolve("kustomization.yaml"))).getFirst().get("namespace"));
    }

    private static String render(Path dir) {
        String kubectl = onPath("kubectl");
        if (kubectl == null) {
            String message = "kubectl is not on the PATH: the Kustomize overlays in deploy/ could not be rendered and checked."
                    + " Install it (apt-get install kubectl; .ci/run does that).";
            if (required()) {
                Assertions.fail(message + " It is required here (CI=true or -D" + REQUIRE_PROPERTY + "=true).");
            }
            System.err.println("#".repeat(100) + "\n# deploy-check: SKIPPED, " + message + "\n" + "#".repeat(100));
            Assumptions.abort(message);
        }
        Result result = run(List.of(kubectl, "kustomize", dir.toString()), 120);
        if (result.exit() != 0) {
            throw new AssertionError("kubectl kustomize " + Repo.root().relativize(dir) + " failed (" + result.exit() + "):\n" + result.output());
        }
        return result.output();
    }

    /** Whether a missing kubectl is a failure here: under CI ({@code CI=true}) or with {@code -Dloupe.require-kubectl=true}. */
    private static boolean required() {
        return Boolean.parseBoolean(System.getProperty(REQUIRE_PROPERTY)) || "true".equalsIgnoreCase(System.getenv("CI"));
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
