package dev.loupe.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each service's image: a pinned base, the fast-jar layout, its port; jemalloc for every service that runs libtorch, and
 * the native environment (jemalloc, OpenMP) its tests run with.
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
        List<String> lines = Repo.read(service.dockerfile()).lines().map(String::strip).filter(l -> !l.startsWith("#")).toList();
        List<String> bases = lines.stream().filter(l -> l.startsWith("FROM ")).map(l -> l.split("\\s+")[1]).toList();
        assertEquals(1, bases.size(), name + ": one stage");
        assertNull(Images.problem(bases.getFirst()), name + " base image");
        String text = String.join("\n", lines);
        assertTrue(text.contains("target/quarkus-app/lib/") && text.contains("quarkus-run.jar"), name + " runs the Quarkus fast-jar");
        assertTrue(text.contains("EXPOSE " + service.port()), name + " exposes " + service.port());
        assertTrue(lines.stream().anyMatch(l -> l.matches("USER\\s+[1-9][0-9]*")), name + " runs as a numeric non-root user (runAsNonRoot)");
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

    /** The Dockerfile without its comment lines (a comment naming a setting does not set it). */
    private static String instructions(Repo.Service service) {
        return String.join("\n", Repo.read(service.dockerfile()).lines().filter(l -> !l.strip().startsWith("#")).toList());
    }
}
