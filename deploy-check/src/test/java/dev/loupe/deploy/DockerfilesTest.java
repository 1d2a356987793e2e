package dev.loupe.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each service's image: built from source in a Maven stage (a fresh clone has no target/), then a pinned base, the
 * fast-jar layout, its port; jemalloc for every service that runs libtorch, and the native environment (jemalloc,
 * OpenMP) its tests run with. The repository root is the build context, filtered by its .dockerignore.
 */
class DockerfilesTest {

    static List<String> serviceNames() {
        return Repo.SERVICES.stream().map(Repo.Service::name).toList();
    }

    @ParameterizedTest
    @MethodSource("serviceNames")
    void imageRunsTheFastJarOnAPinnedBase(String name) {
        Repo.Service service = Repo.service(name);
        assertTrue(Files.isRegularFile(service.dockerfile()), name + " has a Dockerfile at " + service.dockerfile());
        List<Stage> stages = stages(service);
        assertEquals(2, stages.size(), name + ": two stages, the Maven build and the runtime image");
        Stage runtime = stages.getLast();
        assertNull(Images.problem(runtime.image()), name + " base image");
        String text = String.join("\n", runtime.lines());
        assertTrue(text.contains("target/quarkus-app/lib/") && text.contains("quarkus-run.jar"), name + " runs the Quarkus fast-jar");
        assertTrue(text.contains("EXPOSE " + service.port()), name + " exposes " + service.port());
        assertTrue(runtime.lines().stream().anyMatch(l -> l.matches("USER\\s+[1-9][0-9]*")), name + " runs as a numeric non-root user (runAsNonRoot)");
    }

    @ParameterizedTest
    @MethodSource("serviceNames")
    void imageIsBuiltFromSourceAndCopiesNothingPrebuiltFromTheContext(String name) {
        // a fresh clone has no target/: the image must not need one (docker compose up --build on a new machine)
        Repo.Service service = Repo.service(name);
        List<Stage> stages = stages(service);
        Stage build = stages.getFirst();
        assertEquals("build", build.name(), name + ": the first stage is named build");
        assertNull(Images.problem(build.image()), name + " build image");
        assertTrue(build.image().startsWith("maven:") && build.image().contains("temurin-21"),
                name + ": Maven on JDK 21 (the release the code is compiled for) builds it: " + build.image());
        String maven = build.lines().stream().filter(l -> l.startsWith("RUN ")).filter(l -> l.contains("mvn ")).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": the build stage runs mvn"));
        assertTrue(maven.contains("--mount=type=cache,target=/root/.m2"), name + ": the Maven repository is a BuildKit cache mount: " + maven);
        assertTrue(maven.matches(".*\\bpackage\\b.*") && maven.contains(" -am") && maven.contains("-DskipTests"),
                name + ": mvn package -am -DskipTests (the modules it depends on are built too, no tests): " + maven);
        assertTrue(projects(maven).contains(name), name + ": the build stage builds " + name + ": " + maven);
        assertTrue(build.lines().contains("COPY . ."), name + ": the build stage gets the repository (context = its root)");
        for (String line : stages.getLast().lines()) {
            if (line.startsWith("COPY ") || line.startsWith("ADD ")) {
                assertTrue(line.startsWith("COPY --from=build "), name + ": the runtime stage copies from the build stage only: " + line);
                assertTrue(line.contains("/" + name + "/target/quarkus-app/"), name + ": it copies its own fast-jar: " + line);
            }
        }
    }

    @Test
    void theBuildStageIsTheSameInEveryDockerfileAndBuildsEveryService() {
        // docker compose build then runs Maven once: BuildKit serves the other images' identical stage from its cache
        Stage first = stages(Repo.SERVICES.getFirst()).getFirst();
        for (Repo.Service service : Repo.SERVICES) {
            assertEquals(first.lines(), stages(service).getFirst().lines(), service.name() + ": the build stage is the one of "
                    + Repo.SERVICES.getFirst().name() + " (same instructions, so BuildKit builds it once)");
        }
        String maven = first.lines().stream().filter(l -> l.contains("mvn ")).findFirst().orElseThrow();
        assertEquals(serviceNames(), projects(maven), "the build stage builds the five services, in Repo.SERVICES order");
    }

    @Test
    void theRepositoryRootIsTheBuildContextAndItsDockerignoreKeepsBuildOutputAndSecretsOut() {
        Path root = Repo.root();
        for (Repo.Service service : Repo.SERVICES) {
            // BuildKit prefers <Dockerfile>.dockerignore over the context's .dockerignore
            Path own = service.dockerfile().resolveSibling(service.dockerfile().getFileName() + ".dockerignore");
            assertFalse(Files.exists(own), root.relativize(own) + " would replace the root .dockerignore for this image");
        }
        Path file = root.resolve(".dockerignore");
        assertTrue(Files.isRegularFile(file), "the repository root has a .dockerignore");
        DockerIgnore ignore = new DockerIgnore(Repo.read(file));
        for (String sent : List.of("pom.xml", "label-service/src/main/java/A.java", "platform/common/pom.xml")) {
            assertFalse(ignore.excludes(sent), ".dockerignore keeps " + sent + " in the context");
        }
        for (String module : CodeFacts.modules()) {
            assertFalse(ignore.excludes(module + "/pom.xml"), ".dockerignore keeps module " + module + " (the reactor reads every module)");
            assertFalse(ignore.excludes(module + "/src/main/resources/application.properties"), ".dockerignore keeps " + module + "'s sources");
        }
        for (String kept : List.of("target/x", "label-service/target/quarkus-app/quarkus-run.jar", "platform/common/target/classes/A.class",
                ".git/HEAD", ".env", "label-service/node_modules/x/index.js", ".loupe-data/db")) {
            assertTrue(ignore.excludes(kept), ".dockerignore leaves " + kept + " out of the context");
        }
    }

    @ParameterizedTest
    @MethodSource("serviceNames")
    void libtorchServicesPreloadJemallocAndStayOffline(String name) {
        Repo.Service service = Repo.service(name);
        if (!CodeFacts.usesLibtorch(service)) {
            return;
        }
        assertTrue(Files.isRegularFile(service.dockerfile()), name + " has a Dockerfile at " + service.dockerfile());
        String text = instructions(service);
        assertTrue(text.contains("libjemalloc2"), name + " (libtorch): the Debian/Ubuntu package libjemalloc2 is installed");
        assertTrue(text.contains("LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), name + " (libtorch): jemalloc is preloaded");
        assertTrue(text.contains("MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1"), name + " (libtorch): jemalloc keeps its pages (libtorch speed)");
        assertTrue(text.contains("-Dai.djl.offline=true"), name + " (libtorch): DJL never downloads (the natives are in the image)");
    }

    @ParameterizedTest
    @MethodSource("serviceNames")
    void imageRunsWithTheNativeEnvironmentOfTheServiceTests(String name) {
        // what surefire sets for the tests (LD_PRELOAD, MALLOC_CONF, OMP_WAIT_POLICY) is what the code was measured with
        Repo.Service service = Repo.service(name);
        assertTrue(Files.isRegularFile(service.dockerfile()), name + " has a Dockerfile at " + service.dockerfile());
        String text = instructions(service);
        List<String> missing = CodeFacts.testEnvironment(service).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).filter(setting -> !text.contains(setting)).toList();
        assertTrue(missing.isEmpty(), name + ": the image does not set what its tests run with: " + missing);
    }

    /** The runtime stage's instructions (a comment naming a setting does not set it, nor does the build stage). */
    private static String instructions(Repo.Service service) {
        return String.join("\n", stages(service).getLast().lines());
    }

    /** One stage of a Dockerfile: its base image, its name (AS ...) or null, and its instructions (continuations joined). */
    record Stage(String image, String name, List<String> lines) {
    }

    /** The stages of the service's Dockerfile, without comments, {@code --platform} left out of the base. */
    static List<Stage> stages(Repo.Service service) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Repo.read(service.dockerfile()).lines().map(String::strip).toList()) {
            if (raw.startsWith("#") || (raw.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continued = raw.endsWith("\\");
            current.append(continued ? raw.substring(0, raw.length() - 1).strip() + " " : raw);
            if (!continued) {
                lines.add(current.toString().strip());
                current.setLength(0);
            }
        }
        List<Stage> stages = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("FROM ")) {
                List<String> words = new ArrayList<>(List.of(line.substring(5).strip().split("\\s+")));
                words.removeIf(w -> w.startsWith("--platform="));
                String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                stages.add(new Stage(words.getFirst(), name, new ArrayList<>()));
            } else if (!line.isEmpty()) {
                assertFalse(stages.isEmpty(), service.name() + ": an instruction before the first FROM: " + line);
                stages.getLast().lines().add(line);
            }
        }
        return stages;
    }

    /** The modules of {@code -pl a,b,c} in a mvn command line. */
    private static List<String> projects(String maven) {
        Matcher pl = Pattern.compile("(?:-pl|--projects)[ =]([^ ]+)").matcher(maven);
        assertTrue(pl.find(), "the build names its modules with -pl: " + maven);
        return List.of(pl.group(1).split(","));
    }

    /** .dockerignore as BuildKit reads it: patterns relative to the root, {@code **} across folders, later {@code !} re-includes. */
    record DockerIgnore(List<String> patterns) {
        DockerIgnore(String text) {
            this(text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        }

        boolean excludes(String path) {
            boolean excluded = false;
            for (String pattern : patterns) {
                boolean include = pattern.startsWith("!");
                String glob = (include ? pattern.substring(1) : pattern).replaceAll("^/+|/+$", "");
                if (matches(glob, path)) {
                    excluded = !include;
                }
            }
            return excluded;
        }

        /** Whether the pattern matches the path or one of the folders it is in (excluding a folder excludes its files). */
        private static boolean matches(String glob, String path) {
            List<PathMatcher> matchers = new ArrayList<>(List.of(FileSystems.getDefault().getPathMatcher("glob:" + glob)));
            if (glob.startsWith("**/")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
            }
            for (Path prefix = Path.of(path); prefix != null; prefix = prefix.getParent()) {
                for (PathMatcher matcher : matchers) {
                    if (matcher.matches(prefix)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
