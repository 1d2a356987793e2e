package dev.loupe.label;

import dev.loupe.testing.KafkaTestResource;
import dev.loupe.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** One real Kafka broker and one real PostgreSQL for every @QuarkusTest of this module, started in parallel. */
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
public final class EmbeddedInfrastructure {
    private EmbeddedInfrastructure() {
    }
}
