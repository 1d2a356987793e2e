package dev.loupe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.loupe.devstack.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;

/** Drives the resource the way Quarkus' test resource manager does, without booting an app. */
class KafkaTestResourceTest {

    static class SampleTest {
        @InjectKafkaBroker
        EmbeddedKafka broker;

        EmbeddedKafka notAnnotated;
    }

    @Test
    void exposesBootstrapServersAndInjectsOnlyAnnotatedBrokerFields() {
        KafkaTestResource resource = new KafkaTestResource();
        SampleTest test = new SampleTest();
        try {
            Map<String, String> config = resource.start();
            resource.inject(new ReflectiveInjector(test));

            assertEquals(Map.of("kafka.bootstrap.servers", test.broker.bootstrapServers()), config);
            assertTrue(test.broker.isRunning());
            assertNull(test.notAnnotated);
            assertTrue(test.broker.dataDir().startsWith(Path.of("target").toAbsolutePath()));
        } finally {
            resource.stop();
        }
        assertFalse(test.broker.isRunning());
        assertFalse(Files.exists(test.broker.dataDir()), "scratch dir is removed on stop");
    }

    /** Minimal stand-in for Quarkus' injector: sets matching fields of one test instance. */
    private record ReflectiveInjector(Object testInstance) implements TestInjector {
        @Override
        public void injectIntoFields(Object value, Predicate<Field> predicate) {
            for (Field field : testInstance.getClass().getDeclaredFields()) {
                if (predicate.test(field)) {
                    try {
                        field.setAccessible(true);
                        field.set(testInstance, value);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }
}
