package dev.loupe.security;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolved grants by credential id, for {@code loupe.auth.access-cache-ttl}; an access event (membership, account,
 * session or token changed) evicts the user's entries at once, on every replica of every service.
 */
@ApplicationScoped
public class AccessCache {

    private static final int MAX_ENTRIES = 100_000;

    private record Entry(Optional<AccessGrant> grant, Instant until) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AccessResolver resolver;
    private final AuthConfig config;

    public AccessCache(AccessResolver resolver, AuthConfig config, MeterRegistry registry) {
        this.resolver = resolver;
        this.config = config;
        registry.gaugeMapSize("loupe_auth_cached_grants", java.util.List.of(), entries);
    }

    public Optional<AccessGrant> resolve(String credentialId) {
        Instant now = Instant.now();
        Entry entry = entries.get(credentialId);
        if (entry != null && now.isBefore(entry.until())) {
            return entry.grant();
        }
        Optional<AccessGrant> grant = resolver.resolve(credentialId);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        Instant until = now.plus(config.accessCacheTtl());
        if (grant.isPresent() && grant.get().expiresAt() != null && grant.get().expiresAt().isBefore(until)) {
            until = grant.get().expiresAt();
        }
        entries.put(credentialId, new Entry(grant, until));
        return grant;
    }

    /** Forgets everything resolved for one user (or a credential that resolved to nothing). */
    public void evictUser(UUID userId) {
        entries.values().removeIf(e -> e.grant().isEmpty() || e.grant().get().userId().equals(userId));
    }

    public void evictAll() {
        entries.clear();
    }
}
