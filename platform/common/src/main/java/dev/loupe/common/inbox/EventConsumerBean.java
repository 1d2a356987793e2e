package dev.loupe.common.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

/**
 * Base of a service's event consumer bean: one {@link IdempotentConsumer} that applies events through this handler,
 * started with the application, stopped at shutdown, its metrics registered. Subclasses are the handler.
 */
public abstract class EventConsumerBean implements IdempotentConsumer.Handler {

    private final IdempotentConsumer consumer;

    protected EventConsumerBean(IdempotentConsumer.Settings settings, ProcessedEvents processed) {
        this.consumer = new IdempotentConsumer(settings, this, processed);
    }

    /** For the container's client proxy only. */
    protected EventConsumerBean() {
        this.consumer = null;
    }

    protected void startConsumer(@Observes StartupEvent event) {
        consumer.start();
    }

    protected void stopConsumer(@Observes ShutdownEvent event) {
        consumer.stop();
    }

    protected void registerConsumerMetrics(@Observes StartupEvent event, MeterRegistry registry) {
        consumer.registerMetrics(registry);
    }
}
