package dev.loupe.trainer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.files.AllowedRoots;
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
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

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

    /** The folder a run uses, where it came from ("project" or "configured"), and why it cannot be used (or null). */
    public record Choice(Path path, String source, String problem) {
    }

    static final String NOT_ALLOWED = "must be the absolute path of an existing, readable folder below the test-folder "
            + "roots this server allows (loupe.trainer.test-folder-roots)";

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
        AllowedRoots roots = roots();
        if (roots.isEmpty()) {
            throw ProblemException.unprocessable("path", "projects cannot set a test folder on this server: no folder "
                    + "is allowed (loupe.trainer.test-folder-roots)");
        }
        // the roots first, on the real path, one answer whether the path is outside, missing or no folder, and no
        // message names a server folder: a request learns nothing about what exists outside the roots
        Path path = roots.folder(pathText).orElseThrow(() -> ProblemException.unprocessable("path", NOT_ALLOWED));
        List<String> classes = projectClasses(projectId);
        checkClassFolders(path, classes);
        DatasetLoader.TestSet test;
        try {
            test = DatasetLoader.testFolder(path, classes);
        } catch (TrainingException e) {
            throw ProblemException.unprocessable("path", "cannot be read as a test folder (one sub-folder per class)");
        }
        if (test.items().isEmpty()) {
            throw ProblemException.unprocessable("path", "holds no readable image"
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

    /**
     * 422 unless the folder's sub-folders are exactly the project's classes; it names the classes that are missing,
     * never the folders found (they are the server's).
     */
    private static void checkClassFolders(Path path, List<String> classes) {
        List<String> missing = classes.stream().filter(c -> !Files.isDirectory(path.resolve(c))).toList();
        long folders;
        try (Stream<Path> entries = Files.list(path)) {
            // hidden ones as DatasetLoader skips them
            folders = entries.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.equals("__MACOSX")).count();
        } catch (IOException | RuntimeException e) {
            throw ProblemException.unprocessable("path", NOT_ALLOWED);
        }
        long others = folders - (classes.size() - missing.size());
        if (!missing.isEmpty() || others > 0) {
            throw ProblemException.unprocessable("path", "must hold one sub-folder per class of the project " + classes
                    + " and no other folder: " + (missing.isEmpty() ? "" : "missing " + missing + (others > 0 ? ", " : ""))
                    + (others > 0 ? "it holds folders that are no class of the project" : ""));
        }
    }

    private AllowedRoots roots() {
        return AllowedRoots.of(config.testFolderRoots().orElse(List.of()));
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

    /**
     * The project's folder, else the configured one, else none. The project's is checked against the roots again (they
     * may have changed, or a link in the folder's path now leads elsewhere): when it is no longer allowed the choice
     * says so in {@code problem} and the run is scored without it.
     */
    public Optional<Choice> choose(UUID projectId) {
        TestFolder folder = QuarkusTransaction.requiringNew().call(() -> TestFolder.<TestFolder>findById(projectId));
        if (folder != null) {
            Optional<Path> allowed = roots().folder(folder.path);
            return Optional.of(allowed.map(p -> new Choice(p, "project", null)).orElseGet(() -> new Choice(
                    Path.of(folder.path), "project", "the project's test folder is no longer an existing, readable folder below the test-folder roots "
                            + "(loupe.trainer.test-folder-roots)")));
        }
        return config.testFolder().filter(p -> !p.isBlank()).map(p -> new Choice(Path.of(p), "configured", null));
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
