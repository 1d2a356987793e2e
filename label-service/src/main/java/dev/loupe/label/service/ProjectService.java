package dev.loupe.label.service;

import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.api.ProjectView;
import dev.loupe.label.domain.Project;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creates and finds projects; answers {@link ProjectView} records, the entity stays inside the service layer. */
@ApplicationScoped
public class ProjectService {

    private final dev.loupe.label.auth.MemberService members;

    public ProjectService(dev.loupe.label.auth.MemberService members) {
        this.members = members;
    }

    /** Class names become folder names in exports: letters, digits, '_', '-', '.', not starting with '.'. */
    static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}\\p{N}_][\\p{L}\\p{N}_.-]{0,63}");
    static final int MAX_CLASSES = 1000;
    static final int MAX_NAME = 100;

    @Transactional
    public ProjectView create(String name, List<String> classes, boolean copyImages, UUID creator) {
        String trimmed = name == null ? null : name.strip();
        FieldErrors errors = new FieldErrors()
                .check(trimmed == null || trimmed.isEmpty(), "name", "required")
                .check(trimmed != null && trimmed.length() > MAX_NAME, "name", "at most " + MAX_NAME + " characters");
        if (classes == null || classes.isEmpty()) {
            errors.add("classes", "at least one class is required");
        } else if (classes.size() > MAX_CLASSES) {
            errors.add("classes", "at most " + MAX_CLASSES + " classes");
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < classes.size(); i++) {
                String c = classes.get(i);
                if (c == null || !CLASS_NAME.matcher(c).matches()) {
                    errors.add("classes[" + i + "]", "must be 1-64 letters, digits, '_', '-' or '.', not starting with '.'");
                } else if (!seen.add(c.toLowerCase(Locale.ROOT))) {
                    errors.add("classes[" + i + "]", "duplicate class '" + c + "' (names are compared ignoring case)");
                }
            }
        }
        errors.throwIfAny();
        if (Project.count("name", trimmed) > 0) {
            throw ProblemException.conflict("name", "a project named '" + trimmed + "' exists already");
        }
        Project project = new Project();
        project.id = UUID.randomUUID();
        project.name = trimmed;
        project.classes = classes.toArray(String[]::new);
        project.createdAt = Instant.now();
        project.copyImages = copyImages;
        project.persist();
        if (creator != null) {
            members.addCreator(project.id, creator);
        }
        return view(project);
    }

    public List<ProjectView> list() {
        return Project.<Project>listAll(Sort.by("createdAt").and("id")).stream().map(ProjectService::view).toList();
    }

    /** The projects with these ids, oldest first. */
    public List<ProjectView> list(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Project.<Project>list("id in ?1", Sort.by("createdAt").and("id"), ids).stream().map(ProjectService::view).toList();
    }

    /** The project, or 404. */
    public ProjectView get(UUID id) {
        return view(require(id));
    }

    /** The project entity, or 404; for the other services of this package. */
    public Project require(UUID id) {
        Project project = Project.findById(id);
        if (project == null) {
            throw ProblemException.notFound("project", id);
        }
        return project;
    }

    /** A 404 problem for an unknown project; for callers that need only to know it exists. */
    public void requireExists(UUID id) {
        require(id);
    }

    /** Changes whether imports by reference copy the images; 404 for an unknown project. */
    @Transactional
    public ProjectView setCopyImages(UUID id, boolean copyImages) {
        Project project = require(id);
        project.copyImages = copyImages;
        return view(project);
    }

    static ProjectView view(Project project) {
        return new ProjectView(project.id, project.name, project.classList(), project.createdAt, project.copyImages);
    }
}
