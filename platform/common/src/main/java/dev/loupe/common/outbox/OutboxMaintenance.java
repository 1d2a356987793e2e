package dev.loupe.common.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Exposes the relay's numbers to Prometheus and deletes published events after their retention. */
@ApplicationScoped
public class OutboxMaintenance {

    private static final Logger LOG = Logger.getLogger(OutboxMaintenance.class);

    private final OutboxRelay relay;
    private final MeterRegistry registry;

    public OutboxMaintenance(OutboxRelay relay, MeterRegistry registry) {
        this.relay = relay;
        this.registry = registry;
    }

    void registerMetrics(@Observes StartupEvent event) {
        Gauge.builder("loupe.outbox.backlog", relay, OutboxRelay::backlog)
                .description("Events committed but not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder("loupe.outbox.published", relay, OutboxRelay::publishedCount)
                .description("Events this instance published since it started")
                .register(registry);
    }

    @Scheduled(every = "1h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        int deleted = relay.purgePublished();
        if (deleted > 0) {
            LOG.infof("Deleted %d published outbox events past their retention", deleted);
        }
    }
}
