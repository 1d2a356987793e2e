package dev.loupe.trainer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.training.DatasetLoader;
import dev.loupe.training.TrainingException;
import dev.loupe.trainer.config.TrainerConfig;
import dev.loupe.trainer.domain.TestFolder;
import dev.loupe.trainer.client.LabelServiceClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Test ImageFolders a run is scored on besides its validation side: a project's own (checked against the project's
 * classes when set: 422 when they differ) or the configured default (used when its classes match the version's).
 */
@ApplicationScoped
public class TestFolders {

    /** A project's test folder as the API shows it. */
    public record TestFolderView(UUID projectId, long version, String path, List<String> classes, int images,
                                 int skippedImages, String setBy, Instant setAt) {
    }

    /** The folder a run uses, and where it came from ("project" or "configured"). */
    public record Choice(Path path, String source) {
    }

    private final LabelServiceClient labels;
    private final TrainerConfig config;
    private final ObjectMapper json;

    public TestFolders(LabelServiceClient labels, TrainerConfig config, ObjectMapper json) {
        this.labels = labels;
        this.config = config;
        this.json = json;
    }

    /**
     * Checks and stores a project's test folder: 404 for an unknown project, 422 (field {@code path}) when the path is
     * not a readable folder under the allowed roots, holds no image, or its class folders differ from the project's
     * classes; 428 without If-Match, 412 when the folder changed since the version the caller saw (none yet: only
     * {@code *} or {@code "0"} match); nothing is stored then.
     */
    public TestFolderView set(UUID projectId, String pathText, Long expectedVersion, String by) {
        requireIfMatch(expectedVersion);
        if (pathText == null || pathText.isBlank()) {
            throw ProblemException.unprocessable("path", "is required: a folder with one sub-folder per class");
        }
        Path path;
        try {
            path = Path.of(pathText).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ProblemException.unprocessable("path", "is not a valid path: " + e.getMessage());
        }
        Optional<String> roots = config.testFolderRoots();
        if (roots.isPresent() && Arrays.stream(roots.get().split(",")).map(String::trim).filter(r -> !r.isEmpty())
                .map(r -> Path.of(r).toAbsolutePath().normalize()).noneMatch(path::startsWith)) {
            throw ProblemException.unprocessable("path", "must be under one of " + roots.get()
                    + " (loupe.trainer.test-folder-roots)");
        }
        if (!Files.isDirectory(path) || !Files.isReadable(path)) {
            throw ProblemException.unprocessable("path", path + " is not a folder this service can read");
        }
        List<String> classes = projectClasses(projectId);
        DatasetLoader.TestSet test;
        try {
            test = DatasetLoader.testFolder(path, classes);
        } catch (TrainingException e) {
            throw ProblemException.unprocessable("path", e.getMessage());
        }
        if (test.items().isEmpty()) {
            throw ProblemException.unprocessable("path", path + " holds no readable image"
                    + (test.skipped().isEmpty() ? "" : " (" + test.skipped().size() + " undecodable)"));
        }
        Instant now = Instant.now();
        String classesJson = write(classes);
        int images = test.items().size();
        String stored = path.toString();
        long version;
        try {
            version = QuarkusTransaction.requiringNew().call(() -> {
                TestFolder folder = TestFolder.findById(projectId, LockModeType.PESSIMISTIC_WRITE);
                checkVersion(folder, expectedVersion);
                boolean isNew = folder == null;
                if (isNew) {
                    folder = new TestFolder();
                    folder.projectId = projectId;
                }
                folder.version = isNew ? 1 : folder.version + 1;
                folder.path = stored;
                folder.classes = classesJson;
                folder.images = images;
                folder.setBy = by;
                folder.setAt = now;
                if (isNew) {
                    folder.persist();
                }
                return folder.version;
            });
        } catch (PersistenceException e) {
            // two first settings at once: the other one won
            throw ProblemException.preconditionFailed("the test folder of project " + projectId + " was set at the same time",
                    List.of());
        }
        return new TestFolderView(projectId, version, stored, classes, images, test.skipped().size(), by, now);
    }

    public TestFolderView get(UUID projectId) {
        TestFolder folder = QuarkusTransaction.requiringNew().call(() -> TestFolder.<TestFolder>findById(projectId));
        if (folder == null) {
            throw ProblemException.notFound("test folder of project", projectId);
        }
        return new TestFolderView(projectId, folder.version, folder.path, read(folder.classes), folder.images, 0,
                folder.setBy, folder.setAt);
    }

    /** Removes the project's folder: 428 without If-Match, 412 on a stale version, 404 when there is none. */
    public void delete(UUID projectId, Long expectedVersion) {
        requireIfMatch(expectedVersion);
        QuarkusTransaction.requiringNew().run(() -> {
            TestFolder folder = TestFolder.findById(projectId, LockModeType.PESSIMISTIC_WRITE);
            if (folder == null) {
                throw ProblemException.notFound("test folder of project", projectId);
            }
            checkVersion(folder, expectedVersion);
            folder.delete();
        });
    }

    private static void requireIfMatch(Long expectedVersion) {
        if (expectedVersion == null) {
            throw ProblemException.preconditionRequired("send If-Match with the test folder's version you saw (its ETag), "
                    + "or If-Match: * to replace whatever is there");
        }
    }

    private static void checkVersion(TestFolder folder, long expectedVersion) {
        long current = folder == null ? 0 : folder.version;
        if (expectedVersion != IfMatch.ANY && expectedVersion != current) {
            throw ProblemException.preconditionFailed("the test folder is at version " + current + ", you sent "
                    + expectedVersion, List.of());
        }
    }

    /** The project's folder, else the configured one, else none. */
    public Optional<Choice> choose(UUID projectId) {
        TestFolder folder = QuarkusTransaction.requiringNew().call(() -> TestFolder.<TestFolder>findById(projectId));
        if (folder != null) {
            return Optional.of(new Choice(Path.of(folder.path), "project"));
        }
        return config.testFolder().filter(p -> !p.isBlank()).map(p -> new Choice(Path.of(p), "configured"));
    }

    private List<String> projectClasses(UUID projectId) {
        try {
            return labels.projectClasses(projectId).orElseThrow(() -> ProblemException.notFound("project", projectId));
        } catch (IOException e) {
            throw new ProblemException(503, "Service Unavailable", "cannot read project " + projectId
                    + " from the label service: " + e.getMessage(), List.of());
        }
    }

    private List<String> read(String text) {
        try {
            return json.readValue(text, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
