package dev.loupe.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import dev.loupe.devstack.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a private in-JVM Kafka broker for a {@code @QuarkusTest} and points
 * {@code kafka.bootstrap.servers} at it (which also keeps Quarkus Dev Services from starting a
 * container). Use with {@code @QuarkusTestResource(KafkaTestResource.class)} or
 * {@code @WithTestResource(KafkaTestResource.class)}.
 *
 * <p>A test can take hold of the broker with a field
 * {@code @InjectKafkaBroker EmbeddedKafka broker;} to restart it mid-stream.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private Path dataDir;
    private EmbeddedKafka kafka;
    private List<Logger> quietedLoggers; // held only so the lowered levels stick, see ServerLogs

    @Override
    public Map<String, String> start() {
        quietedLoggers = ServerLogs.quiet(ServerLogs.KAFKA_BROKER);
        dataDir = TestDirectories.newUnderTarget("embedded-kafka");
        kafka = EmbeddedKafka.start(0, dataDir);
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(kafka,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class, EmbeddedKafka.class));
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        TestDirectories.deleteQuietly(dataDir);
    }
}
