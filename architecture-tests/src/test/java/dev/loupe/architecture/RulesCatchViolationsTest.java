package dev.loupe.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.loupe.augment.client.UsesLabelApi;
import dev.loupe.augment.image.DecodesWithImageIO;
import dev.loupe.common.archfixture.ViolatingPlatformClass;
import dev.loupe.embedding.event.ViolatingConsumer;
import dev.loupe.imaging.SafeImageReader;
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
            FixtureApiRecord.class, DecodesWithImageIO.class, SafeImageReader.class);

    @Test
    void aServiceUsingAnotherServicesClassesIsReportedButItsApiPackageIsAllowed() {
        String report = assertReported(ArchitectureTest.SERVICES_DO_NOT_DEPEND_ON_EACH_OTHER, "ViolatingConsumer",
                "ViolatingEntity");
        assertFalse(report.contains("UsesLabelApi"), report);
    }

    @Test
    void aResourceReadingAnEntityIsReported() {
        assertReported(ArchitectureTest.REST_DOES_NOT_TOUCH_ENTITIES,
                "ViolatingResource.name(dev.loupe.label.domain.ViolatingEntity)");
    }

    @Test
    void platformCodeKnowingAServiceIsReported() {
        assertReported(ArchitectureTest.PLATFORM_DOES_NOT_DEPEND_ON_SERVICES, "ViolatingPlatformClass");
    }

    @Test
    void aRawKafkaConsumerInAServiceIsReported() {
        assertReported(ArchitectureTest.SERVICES_USE_NO_RAW_KAFKA_CONSUMER, "ViolatingConsumer.consumer");
    }

    @Test
    void aCycleBetweenAServicesPackagesIsReported() {
        assertReported(ArchitectureTest.SERVICE_PACKAGES_ARE_FREE_OF_CYCLES, "dev.loupe.label.rest",
                "dev.loupe.label.domain");
    }

    @Test
    void decodingWithImageIOOutsideTheSafeReaderIsReported() {
        String report = assertReported(ArchitectureTest.IMAGES_ARE_DECODED_BY_THE_SAFE_READER,
                "DecodesWithImageIO.decode", "DecodesWithImageIO.format", "ImageIO.read(java.io.InputStream)",
                "ImageIO.getImageReaders(java.lang.Object)");
        assertFalse(report.contains("Method <dev.loupe.imaging.SafeImageReader"), report); // the rule's text names it
        assertFalse(report.contains("DecodesWithImageIO.encode"), "writing is allowed:\n" + report);
    }

    /** The rule's report over the fixtures, which must name every fragment. */
    private static String assertReported(ArchRule rule, String... fragments) {
        EvaluationResult result = rule.evaluate(FIXTURES);
        assertTrue(result.hasViolation(), () -> "no violation of: " + rule.getDescription());
        String report = result.getFailureReport().toString();
        for (String fragment : fragments) {
            assertTrue(report.contains(fragment), () -> "no '" + fragment + "' in:\n" + report);
        }
        return report;
    }
}
