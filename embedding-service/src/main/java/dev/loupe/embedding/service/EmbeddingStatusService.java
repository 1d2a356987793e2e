package dev.loupe.embedding.service;

import dev.loupe.embedding.domain.EmbeddedItem;
import dev.loupe.embedding.domain.ProjectState;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/** How far embedding has got in a project. */
@ApplicationScoped
public class EmbeddingStatusService {

    /** How far embedding has got in a project. */
    public record Status(UUID projectId, long items, long embedded, long pending, long failed, String embedder,
                         long lastEventApplied) {
    }

    private final EmbedderHolder embedder;

    public EmbeddingStatusService(EmbedderHolder embedder) {
        this.embedder = embedder;
    }

    /** The counts of the project's items (excluded ones left out) by embedding status; the caller checks the project. */
    public Status status(UUID projectId) {
        // one query, so the three counts are of one moment (three counts could see an item move from pending to
        // embedded between them and add up to more items than the project has)
        Map<EmbeddedItem.Status, Long> counts = new EnumMap<>(EmbeddedItem.Status.class);
        EmbeddedItem.getEntityManager().createQuery("""
                        select e.status, count(e) from EmbeddedItem e
                        where e.projectId = ?1 and not e.excluded group by e.status""", Object[].class)
                .setParameter(1, projectId).getResultList()
                .forEach(row -> counts.put((EmbeddedItem.Status) row[0], (Long) row[1]));
        long pending = counts.getOrDefault(EmbeddedItem.Status.PENDING, 0L);
        long embedded = counts.getOrDefault(EmbeddedItem.Status.EMBEDDED, 0L);
        long failed = counts.getOrDefault(EmbeddedItem.Status.FAILED, 0L);
        ProjectState state = ProjectState.findById(projectId);
        return new Status(projectId, pending + embedded + failed, embedded, pending, failed, embedder.id(),
                state == null ? 0 : state.labelsSeen);
    }
}
