package dev.loupe.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.loupe.augment.client.UsesLabelApi;
import dev.loupe.common.archfixture.ViolatingPlatformClass;
import dev.loupe.embedding.event.ViolatingConsumer;
import dev.loupe.label.api.FixtureApiRecord;
import dev.loupe.label.domain.ViolatingEntity;
import dev.loupe.label.rest.ViolatingResource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule of {@link ArchitectureTest} (unfrozen) reports a violation planted in the fixture classes of this module's
 * test sources, and lets the allowed case through: a rule that cannot fail (a renamed package, a wrong annotation name)
 * fails here instead of passing quietly.
 */
class RulesCatchViolationsTest {

    private static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(ViolatingResource.class,
            ViolatingEntity.class, ViolatingConsumer.class, ViolatingPlatformClass.class, UsesLabelApi.class,
            FixtureApiRecord.class);

    @Test
    void aServiceUsingAnotherServicesClassesIsReportedButItsApiPackageIsAllowed() {
        String report = violations(ArchitectureTest.SERVICES_DO_NOT_DEPEND_ON_EACH_OTHER);
        assertTrue(report.contains("ViolatingConsumer") && report.contains("ViolatingEntity"), report);
        assertFalse(report.contains("UsesLabelApi"), report);
    }

    @Test
    void aResourceReadingAnEntityIsReported() {
        String report = violations(ArchitectureTest.REST_DOES_NOT_TOUCH_ENTITIES);
        assertTrue(report.contains("ViolatingResource.name(dev.loupe.label.domain.ViolatingEntity)"), report);
    }

    @Test
    void platformCodeKnowingAServiceIsReported() {
        String report = violations(ArchitectureTest.PLATFORM_DOES_NOT_DEPEND_ON_SERVICES);
        assertTrue(report.contains("ViolatingPlatformClass"), report);
    }

    @Test
    void aRawKafkaConsumerInAServiceIsReported() {
        String report = violations(ArchitectureTest.SERVICES_USE_NO_RAW_KAFKA_CONSUMER);
        assertTrue(report.contains("ViolatingConsumer.consumer"), report);
    }

    @Test
    void aCycleBetweenAServicesPackagesIsReported() {
        String report = violations(ArchitectureTest.SERVICE_PACKAGES_ARE_FREE_OF_CYCLES);
        assertTrue(report.contains("dev.loupe.label.rest") && report.contains("dev.loupe.label.domain"), report);
    }

    private static String violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(FIXTURES);
        assertTrue(result.hasViolation(), () -> "no violation of: " + rule.getDescription());
        return result.getFailureReport().toString();
    }
}
