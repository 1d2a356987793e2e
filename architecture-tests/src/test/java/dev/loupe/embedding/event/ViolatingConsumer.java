package dev.loupe.embedding.event;

import dev.loupe.label.domain.ViolatingEntity;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Fixture for RulesCatchViolationsTest: a service with a raw KafkaConsumer that reads another service's entity. */
public class ViolatingConsumer {

    KafkaConsumer<String, String> consumer;

    public String name(ViolatingEntity entity) {
        return entity.name;
    }
}
