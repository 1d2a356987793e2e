package dev.loupe.security;

import dev.loupe.events.AccessChanged;
import dev.loupe.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Evicts cached grants when the label service reports an access change (membership, account, session or token).
 * Every replica reads the topic with its own group from the end ({@code access-events} channel), so a revoked token
 * stops working everywhere within moments, not only after the cache's time to live.
 */
@ApplicationScoped
public class AccessEvents {

    private static final Logger LOG = Logger.getLogger(AccessEvents.class);
    private final EventCodec codec = new EventCodec();
    private final AccessCache cache;

    public AccessEvents(AccessCache cache) {
        this.cache = cache;
    }

    @Incoming("access-events")
    public void onAccessChanged(String value) {
        try {
            if (codec.decode(value).data() instanceof AccessChanged changed) {
                cache.evictUser(changed.userId());
            }
        } catch (RuntimeException e) {
            LOG.warnf("an unreadable access event: evicting every cached grant (%s)", e.toString());
            cache.evictAll();
        }
    }
}
