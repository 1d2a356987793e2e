package dev.loupe.embedding.service;

import dev.loupe.embedding.analysis.ItemVector;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vector cache: each project's embedded, included items with their vectors in memory, loaded from the store on
 * first use (all projects at start, in the background) and then patched item by item after each committed change,
 * never reloaded whole.
 */
@ApplicationScoped
public class ProjectVectors {

    private static final Logger LOG = Logger.getLogger(ProjectVectors.class);

    private final VectorStore vectors;
    private final EmbedderHolder embedder;
    private final Map<UUID, Live> live = new ConcurrentHashMap<>();

    public ProjectVectors(VectorStore vectors, EmbedderHolder embedder) {
        this.vectors = vectors;
        this.embedder = embedder;
    }

    /**
     * Loads every project's vectors at start, on a background thread so that readiness does not wait for a large
     * store; a request that comes first loads its project itself.
     */
    void onStart(@Observes StartupEvent event) {
        Thread.ofPlatform().name("loupe-vectors-load").daemon().start(() -> {
            long started = System.nanoTime();
            try {
                List<UUID> projects = QuarkusTransaction.requiringNew().call(vectors::projects);
                int rows = 0;
                for (UUID project : projects) {
                    rows += live(project).rows.size();
                }
                LOG.infof("Loaded %d vectors of %d projects in %d ms", rows, projects.size(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Loading vectors at start failed; projects load on first use");
            }
        });
    }

    /** A copy of the project's rows in item-id order, loaded from the store on first use. */
    public List<ItemVector> rows(UUID projectId) {
        return live(projectId).copy();
    }

    /** Whether the project is in memory (a project that is not loads fresh on first use, so needs no patching). */
    public boolean holds(UUID projectId) {
        return live.containsKey(projectId);
    }

    /**
     * Re-reads the items of a project held in memory (call after their change committed); a project not in memory
     * is left to load on first use.
     *
     * @return true when points were added or removed (not only relabelled)
     */
    public boolean refresh(UUID projectId, Collection<UUID> itemIds) {
        boolean[] membership = {false};
        // computeIfPresent waits for a load of the same project in progress, so a change that committed while the
        // load was reading is applied after it, not lost
        live.computeIfPresent(projectId, (id, project) -> {
            membership[0] = project.refresh(itemIds);
            return project;
        });
        return membership[0];
    }

    private Live live(UUID projectId) {
        return live.computeIfAbsent(projectId, Live::new);
    }

    /** The embedded, included rows of one project, kept current by re-reading only the items that changed. */
    private final class Live {
        final UUID projectId;
        final TreeMap<UUID, ItemVector> rows = new TreeMap<>();

        Live(UUID projectId) {
            this.projectId = projectId;
            QuarkusTransaction.requiringNew().call(() -> vectors.project(projectId, embedder.id()))
                    .forEach(row -> rows.put(row.itemId(), row));
        }

        /**
         * Re-reads the items and applies what the store says now. Reads and applies under one lock, so concurrent
         * refreshes (the event consumer and the embedding worker) apply in the order they read: the last one wins
         * with the newest state.
         *
         * @return true when points were added or removed (not only relabelled)
         */
        synchronized boolean refresh(Collection<UUID> itemIds) {
            if (itemIds.isEmpty()) {
                return false;
            }
            List<ItemVector> current = QuarkusTransaction.requiringNew()
                    .call(() -> vectors.items(projectId, embedder.id(), itemIds));
            Set<UUID> before = new HashSet<>();
            itemIds.forEach(id -> {
                if (rows.remove(id) != null) {
                    before.add(id);
                }
            });
            current.forEach(row -> rows.put(row.itemId(), row));
            return before.size() != current.size() || current.stream().anyMatch(r -> !before.contains(r.itemId()));
        }

        synchronized List<ItemVector> copy() {
            return new ArrayList<>(rows.values());
        }
    }
}
