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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Keycloak as a process, for tests of sign-in through OpenID Connect: the distribution
 * ({@code org.keycloak:keycloak-quarkus-dist}, unpacked by the module's build; its folder in the system property
 * {@value #HOME_PROPERTY}) in {@code start-dev} mode with an in-memory database, importing the given realm files at
 * start ({@code data/import}, {@code --import-realm}; {@code ${VAR}} placeholders in them are filled from the
 * environment given). Started once per test JVM, by the first call of {@link #shared}, and stopped when the JVM
 * ends. A missing distribution fails the test, it never skips it.
 */
public final class KeycloakServer {

    /** The system property naming the unpacked distribution (the folder holding {@code bin/kc.sh}). */
    public static final String HOME_PROPERTY = "loupe.keycloak.home";
    /** The master realm's administrator (Keycloak's admin console). */
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password";

    private static final Pattern REALM_NAME = Pattern.compile("\"realm\"\\s*:\\s*\"([^\"]+)\"");
    private static KeycloakServer shared;

    private final Process process;
    private final int port;
    private final Path log;
    private final List<String> realms;

    private KeycloakServer(Process process, int port, Path log, List<String> realms) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.realms = realms;
    }

    /**
     * The Keycloak of this test JVM: started on the first call with these realm files and environment (later calls
     * must ask for realms it imported and get the running one).
     */
    public static synchronized KeycloakServer shared(List<Path> realmFiles, Map<String, String> environment) {
        List<String> names = realmFiles.stream().map(KeycloakServer::realmName).toList();
        if (shared != null) {
            if (!shared.realms.containsAll(names)) {
                throw new IllegalStateException("Keycloak runs already with the realms " + shared.realms + ", not " + names);
            }
            return shared;
        }
        try {
            shared = start(home(), realmFiles, names, environment);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Keycloak", e);
        }
        KeycloakServer started = shared;
        Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "keycloak-stop"));
        return started;
    }

    /** The unpacked distribution; fails (never skips) when the build did not unpack it. */
    static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("system property " + HOME_PROPERTY + " is not set: the module's build "
                    + "unpacks org.keycloak:keycloak-quarkus-dist and passes its folder to the tests");
        }
        Path dir = Path.of(home);
        if (!Files.isRegularFile(dir.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(dir + "/bin/kc.sh is missing: the Keycloak distribution was not unpacked "
                    + "(mvn verify unpacks org.keycloak:keycloak-quarkus-dist into target/)");
        }
        return dir;
    }

    private static KeycloakServer start(Path home, List<Path> realmFiles, List<String> names,
                                        Map<String, String> environment) throws IOException, InterruptedException {
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        try (Stream<Path> old = Files.list(imports)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        for (int i = 0; i < realmFiles.size(); i++) {
            // Keycloak imports <realm>-realm.json only
            Files.copy(realmFiles.get(i), imports.resolve(names.get(i) + "-realm.json"));
        }
        int port = Ports.freePort();
        int management = Ports.freePort();
        Path kcSh = home.resolve("bin/kc.sh");
        kcSh.toFile().setExecutable(true);
        List<String> command = new ArrayList<>(List.of(kcSh.toString(), "start-dev", "--http-port=" + port,
                "--http-management-port=" + management, "--import-realm", "--db=dev-mem", "--health-enabled=true"));
        Path logDir = Files.createDirectories(Path.of("target").toAbsolutePath());
        Path log = logDir.resolve("keycloak-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // JBoss Threads resets thread locals through java.lang internals, which Java 24+ keeps closed otherwise; C1
        // only: a test's Keycloak serves a few dozen requests, and C2 compiling its start-up slows it (ServiceProcess)
        builder.environment().put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED -XX:TieredStopAtLevel=1");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().putAll(environment);
        KeycloakServer server = new KeycloakServer(builder.start(), port, log, names);
        server.awaitRealms(Duration.ofMinutes(6));
        return server;
    }

    /** The base URL, e.g. {@code http://localhost:41234}. */
    public String url() {
        return "http://localhost:" + port;
    }

    /** A realm's issuer URL (what OIDC clients use as auth server URL). */
    public String realmUrl(String realm) {
        return url() + "/realms/" + realm;
    }

    private void awaitRealms(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            for (String realm : realms) {
                while (true) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; log: " + tail());
                    }
                    if (Instant.now().isAfter(deadline)) {
                        stop();
                        throw new IllegalStateException("Keycloak did not serve realm " + realm + " within " + timeout
                                + "; log: " + tail());
                    }
                    try {
                        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(realmUrl(realm)
                                        + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == 200) {
                            break;
                        }
                    } catch (IOException notYet) {
                        // not listening yet
                    }
                    Thread.sleep(500);
                }
            }
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private void stop() {
        // kc.sh execs java, but stop any child it may have left too
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String realmName(Path realmFile) {
        try {
            Matcher m = REALM_NAME.matcher(Files.readString(realmFile));
            if (!m.find()) {
                throw new IllegalArgumentException(realmFile + " names no realm (\"realm\": \"...\")");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
