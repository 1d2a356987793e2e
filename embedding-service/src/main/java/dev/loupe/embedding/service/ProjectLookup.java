package dev.loupe.embedding.service;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.embedding.client.LabelServiceClient;
import dev.loupe.embedding.domain.EmbeddedItem;
import dev.loupe.embedding.domain.ProjectState;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Which projects and items this service knows, for the REST resources (which see records, never entities). */
@ApplicationScoped
public class ProjectLookup {

    /** An item as this service sees it: its project, its embedding status (PENDING, EMBEDDED, FAILED), excluded or not. */
    public record ItemState(UUID projectId, String status, boolean excluded) {
    }

    private final LabelServiceClient labels;

    public ProjectLookup(LabelServiceClient labels) {
        this.labels = labels;
    }

    /**
     * Returns if this service has seen the project (an item or its state), or the label service knows it; otherwise
     * 404 naming the project, and 503 when the label service cannot be asked.
     */
    public void require(UUID projectId) {
        if (EmbeddedItem.count("projectId", projectId) > 0 || ProjectState.findById(projectId) != null) {
            return;
        }
        try {
            if (!labels.projectExists(projectId)) {
                throw ProblemException.notFound("project", projectId);
            }
        } catch (IOException e) {
            throw new ProblemException(503, "Service Unavailable", "cannot ask the label service about project "
                    + projectId + ": " + e.getMessage(), List.of());
        }
    }

    /** The item, if this service has seen it. */
    public Optional<ItemState> item(UUID itemId) {
        EmbeddedItem item = EmbeddedItem.findById(itemId);
        return item == null ? Optional.empty()
                : Optional.of(new ItemState(item.projectId, item.status.name(), item.excluded));
    }

    /** The ids of every item of the project this service has seen (excluded ones too); empty for an unknown project. */
    public Set<UUID> itemIds(UUID projectId) {
        return new HashSet<>(EmbeddedItem.getEntityManager()
                .createQuery("select e.itemId from EmbeddedItem e where e.projectId = ?1", UUID.class)
                .setParameter(1, projectId).getResultList());
    }
}
