package dev.loupe.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Someone's access changed: a membership, an account (disabled, password, admin), a session ended or an API token
 * was revoked. Every service evicts what it cached for the user. Keyed by user id.
 *
 * @param projectId the project whose membership changed, or null for an account-wide change
 * @param userId    the account
 * @param what      {@code membership}, {@code account}, {@code session} or {@code token}
 */
public record AccessChanged(UUID projectId, UUID userId, String what, Instant at) implements LoupeEvent {

    @Override
    public UUID subject() {
        return userId;
    }
}
