package dev.loupe.dataset.version;

import dev.loupe.events.DatasetVersionPublished;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who else hears of a new version inside the publishing transaction (the webhooks), besides the
 * DatasetVersionPublished event on {@code loupe.datasets}.
 */
@ApplicationScoped
public class VersionListeners {

    /** Runs in the transaction that creates the version: a failure rolls the version back. */
    public void published(DatasetVersionPublished event) {
    }
}
