package dev.loupe.common.inbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How hard {@link Inbox} retries a batch before it isolates and dead-letters the event that keeps failing. */
@ConfigMapping(prefix = "loupe.inbox")
public interface InboxConfig {

    /** Attempts at a batch, then at each of its events alone, before an event goes to the dead-letter topic. */
    @WithDefault("3")
    int maxAttempts();

    /** Pause after a failed attempt, multiplied by the attempt number. */
    @WithDefault("PT1S")
    Duration retryBackoff();

    /** Longest pause between attempts while the database is unreachable (those are retried until it is back). */
    @WithDefault("PT15S")
    Duration maxBackoff();
}
