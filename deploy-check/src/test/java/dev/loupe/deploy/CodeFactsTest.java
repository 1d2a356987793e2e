package dev.loupe.deploy;

import dev.loupe.events.Topics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The source scanning the other checks rely on finds what we know is there. */
class CodeFactsTest {

    @Test
    void configMappingKeysIncludeNestedGroupsAndBecomeEnvironmentNames() {
        String source = """
                @ConfigMapping(prefix = "loupe.demo")
                public interface DemoConfig {
                    /** Where, e.g. http://localhost:8081 // not a comment. */
                    @WithDefault("http://localhost:8081")
                    String labelServiceUrl();
                    Imports imports();
                    interface Imports {
                        @WithDefault("5") int maxEntries();
                        Optional<List<String>> folderRoots();
                    }
                }
                """;
        assertEquals(List.of("loupe.demo.label-service-url", "loupe.demo.imports.max-entries", "loupe.demo.imports.folder-roots"),
                CodeFacts.mappingKeys(source));
        assertEquals("LOUPE_DEMO_IMPORTS_FOLDER_ROOTS", CodeFacts.environmentName("loupe.demo.imports.folder-roots"));
    }

    @Test
    void servicesReadTheKeysTheirCodeDeclares() {
        Set<String> label = CodeFacts.environmentKeys(Repo.LABEL);
        assertTrue(label.containsAll(Set.of("LOUPE_DB_URL", "LOUPE_KAFKA_BOOTSTRAP", "LOUPE_LABEL_IMPORTS_FOLDER_ROOTS",
                "LOUPE_OUTBOX_TOPIC_REPLICATION_FACTOR")), label.toString());
        Set<String> dataset = CodeFacts.environmentKeys(Repo.DATASET);
        assertTrue(dataset.containsAll(Set.of("LOUPE_LABEL_URL", "LOUPE_EMBEDDING_URL", "LOUPE_DATASET_WEBHOOKS_ALLOW_LOOPBACK",
                "LOUPE_DATASET_CONSUMER_GROUP")), dataset.toString());
        Set<String> trainer = CodeFacts.environmentKeys(Repo.TRAINER);
        assertTrue(trainer.containsAll(Set.of("LOUPE_TRAINER_PORT", "LOUPE_DATASET_URL", "LOUPE_LABEL_URL", "LOUPE_EMBEDDING_URL",
                "LOUPE_TRAINER_THREADS", "LOUPE_TRAINER_TEST_FOLDER", "LOUPE_TRAINER_TEST_FOLDER_ROOTS", "LOUPE_TRAINER_CONSUMER_GROUP",
                "LOUPE_OUTBOX_TOPIC_PARTITIONS")), trainer.toString());
    }

    @Test
    void consumersAreFoundWithTheirGroupsAndTopics() {
        List<CodeFacts.Consumer> consumers = CodeFacts.consumers();
        assertTrue(consumers.contains(new CodeFacts.Consumer("embedding-service", "embedding-service", List.of(Topics.ITEMS))), consumers.toString());
        assertTrue(consumers.stream().anyMatch(c -> c.group().equals("dataset-service") && c.topics().contains(Topics.EMBEDDINGS)), consumers.toString());
        assertTrue(consumers.contains(new CodeFacts.Consumer("trainer-service", "trainer-service", List.of(Topics.DATASETS))), consumers.toString());
    }

    @Test
    void libtorchIsFoundDirectlyAndThroughRepositoryModules() {
        List<String> libtorch = Repo.SERVICES.stream().filter(CodeFacts::usesLibtorch).map(Repo.Service::name).toList();
        // embedding-service declares pytorch-native-cpu itself, trainer-service gets it through loupe-training
        assertEquals(List.of("embedding-service", "trainer-service"), libtorch);
        assertEquals(List.of("loupe-common"), CodeFacts.runtimeDependencies("""
                <project>
                  <dependencyManagement><dependencies><dependency><artifactId>managed</artifactId></dependency></dependencies></dependencyManagement>
                  <dependencies>
                    <dependency><groupId>dev.loupe</groupId><artifactId>loupe-common</artifactId></dependency>
                    <!-- <dependency><artifactId>commented</artifactId></dependency> -->
                    <dependency><artifactId>label-service</artifactId><type>pom</type><scope>test</scope></dependency>
                  </dependencies>
                </project>
                """));
    }

    @Test
    void testEnvironmentResolvesPomProperties() {
        assertEquals(Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1",
                "OMP_WAIT_POLICY", "PASSIVE"), CodeFacts.testEnvironment(Repo.TRAINER));
        assertTrue(CodeFacts.testEnvironment(Repo.LABEL).isEmpty());
    }
}
