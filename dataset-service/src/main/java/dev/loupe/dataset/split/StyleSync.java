package dev.loupe.dataset.split;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Copies a project's styles (clusters and near duplicates) from {@link StyleSource} into the database, on a thread of
 * its own: a slow embedding service must not delay label-change refreshes. When the source is unreachable the split
 * goes on with what is stored (unknown styles count as one), and the read is retried a few seconds later.
 */
@ApplicationScoped
public class StyleSync {

    private static final Logger LOG = Logger.getLogger(StyleSync.class);
    private static final long RETRY_MILLIS = 5_000;
    /** Least time between two reads of one project's styles: during an import the embedding service updates often. */
    private static final long MIN_INTERVAL_MILLIS = 2_000;

    private final StyleSource source;
    private final SplitStore store;
    private final SplitStates states;
    private final Map<UUID, Long> nextReadAt = new ConcurrentHashMap<>();
    private final Set<UUID> reading = ConcurrentHashMap.newKeySet();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("loupe-style-reader").daemon().factory());

    public StyleSync(StyleSource source, SplitStore store, SplitStates states) {
        this.source = source;
        this.store = store;
        this.states = states;
    }

    void onStop(@Observes ShutdownEvent event) {
        reader.shutdownNow();
    }

    /** Reads the project's styles in the background unless a read of it is under way; {@code afterRead} runs when one was made. */
    public void readLater(UUID project, Runnable afterRead) {
        if (!reading.add(project)) {
            return;
        }
        reader.execute(() -> {
            try {
                if (read(project)) {
                    afterRead.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Reading the styles of project %s failed", project);
            } finally {
                reading.remove(project);
            }
        });
    }

    /** Reads the project's styles now and stores them if they changed; false when not read (too soon, unreachable). */
    boolean read(UUID project) throws InterruptedException {
        Long due = nextReadAt.get(project);
        if (due != null && System.currentTimeMillis() < due) {
            return false;
        }
        // clear the flag first: an EmbeddingsUpdated that arrives during the read sets it again
        QuarkusTransaction.requiringNew().run(() -> states.lockOrCreate(project, Instant.now()).stylesStale = false);
        StyleSource.Styles styles;
        try {
            styles = source.styles(project);
        } catch (IOException e) {
            LOG.warnf("Styles of project %s not available (%s); the split uses the stored ones, retry in %d s",
                    project, e.getMessage(), RETRY_MILLIS / 1000);
            nextReadAt.put(project, System.currentTimeMillis() + RETRY_MILLIS);
            QuarkusTransaction.requiringNew().run(() -> states.lockOrCreate(project, Instant.now()).stylesStale = true);
            return false;
        }
        // the next read waits a little: an import announces new vectors many times a second
        nextReadAt.put(project, System.currentTimeMillis() + MIN_INTERVAL_MILLIS);
        QuarkusTransaction.requiringNew().run(() -> {
            SplitState state = states.lockOrCreate(project, Instant.now());
            if (store.sameStyles(project, styles)) {
                // a relabel announces new embeddings too, mostly with the same styles: no refresh for nothing
                return;
            }
            store.replaceStyles(project, styles);
            state.changed(Instant.now());
        });
        return true;
    }
}
