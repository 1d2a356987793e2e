package dev.loupe.augment.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.Remote;
import dev.loupe.common.util.Concurrently;
import dev.loupe.events.Provenance;
import dev.loupe.label.api.ItemList;
import dev.loupe.label.api.ItemView;
import dev.loupe.label.api.LabelApi;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The label service (typed client at {@code loupe.augment.label-service-url}): items to read, images to fetch, new
 * items to add. A 404 is an absent project or item; a refused new item is {@link RefusedException} (a 502 to the
 * user); anything else that goes wrong is {@link UnavailableException} (a 503: nothing was changed).
 */
@ApplicationScoped
public class LabelServiceClient {

    /** Who the label service records as the actor of the items this service adds. */
    static final String ACTOR = "augment-service";

    /** A new item for the label service; the idempotency key makes a repeated add return the first item. */
    public record NewItem(byte[] png, String label, String source, Provenance provenance, String originalPath,
                          String idempotencyKey) {
    }

    /** The label service answered with an error or could not be reached. */
    public static class UnavailableException extends IOException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The label service refused a request (4xx other than 404): its status and detail. */
    public static class RefusedException extends IOException {
        private final int status;

        public RefusedException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final LabelApi labels;
    private final ObjectMapper json;

    public LabelServiceClient(@RestClient LabelApi labels, ObjectMapper json) {
        this.labels = labels;
        this.json = json;
    }

    /** The project's classes, or empty when the project does not exist. */
    public Optional<List<String>> classes(UUID projectId) throws UnavailableException {
        try {
            return Optional.of(labels.project(projectId).classes());
        } catch (RuntimeException e) {
            return absentOnNotFound(e, "GET /api/projects/" + projectId);
        }
    }

    public boolean projectExists(UUID projectId) throws UnavailableException {
        return classes(projectId).isPresent();
    }

    public Optional<ItemView> item(UUID itemId) throws UnavailableException {
        try {
            return Optional.of(labels.item(itemId));
        } catch (RuntimeException e) {
            return absentOnNotFound(e, "GET /api/items/" + itemId);
        }
    }

    /**
     * One page of a project's items that are not excluded, filtered by label, original split and source (each may be
     * null), and the total count matching.
     */
    public ItemList items(UUID projectId, String label, String split, String source, int page, int size)
            throws UnavailableException {
        try {
            return labels.items(projectId, label, split, source, page, size);
        } catch (RuntimeException e) {
            String call = "GET /api/projects/" + projectId + "/items";
            throw new UnavailableException(Remote.status(e) == 404 ? "project " + projectId + " is gone"
                    : Remote.describe(call, e), e);
        }
    }

    /** One image's bytes. */
    public byte[] blob(String sha256) throws UnavailableException {
        try {
            return labels.blob(sha256);
        } catch (RuntimeException e) {
            throw new UnavailableException(Remote.describe("GET /api/blobs/" + sha256, e), e);
        }
    }

    /** Fetches many blobs at once; the map holds the bytes, or the IOException saying why not, for every hash. */
    public Map<String, Object> blobs(Collection<String> hashes, int concurrency) throws InterruptedException {
        return Concurrently.callAll(hashes, concurrency, this::blob);
    }

    /** Adds an item (multipart upload); returns the item the label service created or had for that key. */
    public ItemView add(UUID projectId, NewItem item) throws RefusedException, UnavailableException {
        String provenance;
        try {
            provenance = item.provenance() == null ? null : json.writeValueAsString(item.provenance());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("provenance does not serialize", e);
        }
        try {
            return labels.add(projectId, ACTOR, item.idempotencyKey(), item.png(), item.label(), item.source(),
                    provenance, item.originalPath());
        } catch (RuntimeException e) {
            int status = Remote.status(e);
            if (status >= 400 && status < 500) {
                throw new RefusedException(status, Remote.describe("the label service refused the new item: POST /api/projects/"
                        + projectId + "/items", e));
            }
            throw new UnavailableException(Remote.describe("POST /api/projects/" + projectId + "/items", e), e);
        }
    }

    private static <T> Optional<T> absentOnNotFound(RuntimeException e, String call) throws UnavailableException {
        if (Remote.status(e) == 404) {
            return Optional.empty();
        }
        throw new UnavailableException(Remote.describe(call, e), e);
    }
}
