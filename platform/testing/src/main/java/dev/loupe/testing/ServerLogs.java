package dev.loupe.testing;

import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the embedded servers' own INFO chatter (~1,500 lines per broker start) down to WARNING in
 * test JVMs. Needed because test resources start before Quarkus applies {@code quarkus.log.*},
 * so that configuration cannot reach the broker's startup logging.
 */
final class ServerLogs {

    static final String[] KAFKA_BROKER = {"kafka", "state.change.logger", "org.apache.kafka"};
    static final String[] POSTGRES = {"io.zonky.test.db.postgres"};

    private ServerLogs() {
    }

    /**
     * Categories that already have an explicit level (e.g. a test's own logging config) are left
     * alone. The returned loggers must be kept reachable by the caller: plain JUL forgets the
     * level of a logger that has been garbage collected.
     */
    static List<Logger> quiet(String... categories) {
        return Arrays.stream(categories).map(Logger::getLogger).peek(logger -> {
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
            }
        }).toList();
    }
}
