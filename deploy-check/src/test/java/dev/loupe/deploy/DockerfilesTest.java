package dev.loupe.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each service's image: a pinned base, the fast-jar layout, its port; jemalloc for the embedding service. */
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
    void embeddingServicePreloadsJemalloc(String name) {
        if (!name.equals(Repo.EMBEDDING.name())) {
            return;
        }
        String text = Repo.read(Repo.EMBEDDING.dockerfile());
        assertTrue(text.contains("libjemalloc2"), "the Debian/Ubuntu package libjemalloc2 is installed");
        assertTrue(text.contains("LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), "jemalloc is preloaded");
        assertTrue(text.contains("MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1"), "jemalloc keeps its pages (libtorch speed)");
    }
}
