package dev.loupe.trainer.client;

import dev.loupe.common.rest.Remote;
import dev.loupe.label.api.LabelApi;
import dev.loupe.label.api.ProjectView;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The label service (typed client at {@code loupe.trainer.label-service-url}): a project's classes. */
@ApplicationScoped
public class LabelServiceClient {

    private final LabelApi labels;

    public LabelServiceClient(@RestClient LabelApi labels) {
        this.labels = labels;
    }

    /**
     * The project's classes, or empty when the project does not exist.
     *
     * @throws IOException when the label service cannot be reached or answers with another error
     */
    public Optional<List<String>> projectClasses(UUID projectId) throws IOException {
        return Remote.find("GET /api/projects/" + projectId, () -> labels.project(projectId)).map(ProjectView::classes);
    }
}
