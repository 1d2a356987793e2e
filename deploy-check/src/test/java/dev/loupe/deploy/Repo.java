package dev.loupe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The repository being checked, and the five services in it. */
final class Repo {

    /** A service: its folder (= its name), HTTP port and configuration prefix ({@code loupe.<prefix>}). */
    record Service(String name, int port, String prefix) {
        Path dir() {
            return root().resolve(name);
        }

        Optional<Path> applicationProperties() {
            Path file = dir().resolve("src/main/resources/application.properties");
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        }

        /** The service's Dockerfile, in Quarkus' place. */
        Path dockerfile() {
            return dir().resolve("src/main/docker/Dockerfile.jvm");
        }
    }

    static final Service LABEL = new Service("label-service", 8081, "label");
    static final Service EMBEDDING = new Service("embedding-service", 8082, "embedding");
    static final Service AUGMENT = new Service("augment-service", 8083, "augment");
    static final Service DATASET = new Service("dataset-service", 8084, "dataset");
    static final Service TRAINER = new Service("trainer-service", 8085, "trainer");
    static final List<Service> SERVICES = List.of(LABEL, EMBEDDING, AUGMENT, DATASET, TRAINER);

    private static Path root;

    private Repo() {
    }

    static Service service(String name) {
        return SERVICES.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a Loupe service: " + name));
    }

    /** The repository root: {@code loupe.root} (set by surefire from maven.multiModuleProjectDirectory), else found upwards. */
    static synchronized Path root() {
        if (root == null) {
            String property = System.getProperty("loupe.root");
            Path candidate = property != null && !property.isBlank() ? Path.of(property) : Path.of("").toAbsolutePath();
            while (candidate != null && !Files.isRegularFile(candidate.resolve("docker-compose.yml"))) {
                candidate = candidate.getParent();
            }
            if (candidate == null) {
                throw new IllegalStateException("repository root not found from loupe.root=" + property
                        + " or " + Path.of("").toAbsolutePath());
            }
            root = candidate.toAbsolutePath().normalize();
        }
        return root;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
