package dev.loupe.common.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Uses {@link DatabaseCredentials}, so the mapping is registered and validated when the configuration loads. */
@ApplicationScoped
class DatabaseCredentialsCheck {

    void onStart(@Observes StartupEvent event, DatabaseCredentials credentials) {
        // nothing to do: a missing credential has stopped the start before this runs
    }
}
