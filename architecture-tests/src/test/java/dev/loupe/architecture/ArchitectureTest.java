package dev.loupe.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The house rules of CONVENTIONS.md that the compiler does not check, over the main classes of every module (this
 * module's pom lists them). No rule is frozen: every violation fails the build.
 * <p>
 * Each rule is a constant checked by an {@code @ArchTest} method: surefire 3.5.3 (the parent's) silently skips
 * {@code @ArchTest} fields (apache/maven-surefire#839, TNG/ArchUnit#1442), methods run.
 */
@AnalyzeClasses(packages = "dev.loupe", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The root package of each service ({@code <name>-service} is {@code dev.loupe.<name>}). */
    static final List<String> SERVICES = List.of("label", "embedding", "augment", "dataset", "trainer");

    static final String[] SERVICE_PACKAGES = SERVICES.stream().map(s -> "dev.loupe." + s + "..").toArray(String[]::new);

    /** Shared code every service may use; it never knows a service. The training library (the fixed model) is shared code too. */
    static final String[] PLATFORM_PACKAGES = {"dev.loupe.common..", "dev.loupe.events..", "dev.loupe.testing..",
            "dev.loupe.devstack..", "dev.loupe.synthetic..", "dev.loupe.imaging..", "dev.loupe.training..", "dev.loupe.security.."};

    /**
     * Services talk over events and REST, so no service imports another's classes. Exception: the small {@code *-api}
     * modules ({@code dev.loupe.<service>.api..}: REST Client interfaces and the request/response records the serving
     * resource also uses) are meant to be shared, so they belong to no slice here and any service may use them.
     */
    static final ArchRule SERVICES_DO_NOT_DEPEND_ON_EACH_OTHER = slices()
            .assignedFrom(new ServiceSlices())
            .should().notDependOnEachOther()
            .because("services talk over events and REST; only dev.loupe.<service>.api.. is shared");

    /**
     * Resources map requests to service calls and answer records; entities stay behind the service layer. Frozen: the
     * resources written before this rule read entities (see the store); new code may not.
     */
    static final ArchRule REST_DOES_NOT_TOUCH_ENTITIES = noClasses()
            .that().resideInAPackage("dev.loupe..rest..")
            .or().areAnnotatedWith("jakarta.ws.rs.Path")
            .should().dependOnClassesThat().areAnnotatedWith("jakarta.persistence.Entity")
            .because("REST resources go through services and records, never JPA entities");

    static final ArchRule PLATFORM_DOES_NOT_DEPEND_ON_SERVICES = noClasses()
            .that().resideInAnyPackage(PLATFORM_PACKAGES)
            .should().dependOnClassesThat().resideInAnyPackage(SERVICE_PACKAGES)
            .because("platform modules are shared by every service and know none of them");

    /**
     * Consumers are @Incoming channels or the platform's IdempotentConsumer. Frozen: embedding's PeerSync is being moved
     * to an @Incoming channel; when it is gone its entries leave the store by themselves.
     */
    static final ArchRule SERVICES_USE_NO_RAW_KAFKA_CONSUMER = noClasses()
            .that().resideInAnyPackage(SERVICE_PACKAGES)
            .should().dependOnClassesThat().haveFullyQualifiedName("org.apache.kafka.clients.consumer.KafkaConsumer")
            .because("services consume through @Incoming channels (or platform code), not a hand-made KafkaConsumer");

    /** Holds in every service today (checked when the rule was written), so it is not frozen. */
    static final ArchRule SERVICE_PACKAGES_ARE_FREE_OF_CYCLES = slices()
            .assignedFrom(new TopLevelPackages())
            .should().beFreeOfCycles()
            .because("a service's packages by role (rest, service, domain, event, ...) form layers, not a knot");

    /** ImageIO's decoding entry points: {@code read(...)} and the reader lookups that lead to {@code ImageReader.read}. */
    static final DescribedPredicate<JavaMethodCall> DECODES_WITH_IMAGEIO = new DescribedPredicate<>(
            "javax.imageio.ImageIO.read(..) or ImageIO.getImageReaders*(..)") {
        @Override
        public boolean test(JavaMethodCall call) {
            return call.getTargetOwner().getName().equals("javax.imageio.ImageIO")
                    && (call.getName().equals("read") || call.getName().startsWith("getImageReaders"));
        }
    };

    /**
     * Image bytes are decoded by platform/imaging's SafeImageReader only, which refuses a decompression bomb from its
     * header; ImageIO.read decodes whatever canvas the header claims (30,000 x 30,000 pixels from an 875 KB PNG).
     */
    static final ArchRule IMAGES_ARE_DECODED_BY_THE_SAFE_READER = noClasses()
            .that().resideOutsideOfPackage("dev.loupe.imaging..")
            .should().callMethodWhere(DECODES_WITH_IMAGEIO)
            .because("only dev.loupe.imaging.SafeImageReader decodes images: it checks the pixel count before decoding");

    @ArchTest
    void imagesAreDecodedByTheSafeReader(JavaClasses classes) {
        IMAGES_ARE_DECODED_BY_THE_SAFE_READER.check(classes);
    }

    @ArchTest
    void servicesDoNotDependOnEachOther(JavaClasses classes) {
        SERVICES_DO_NOT_DEPEND_ON_EACH_OTHER.check(classes);
    }

    @ArchTest
    void restDoesNotTouchEntities(JavaClasses classes) {
        REST_DOES_NOT_TOUCH_ENTITIES.check(classes);
    }

    @ArchTest
    void platformDoesNotDependOnServices(JavaClasses classes) {
        PLATFORM_DOES_NOT_DEPEND_ON_SERVICES.check(classes);
    }

    @ArchTest
    void servicesUseNoRawKafkaConsumer(JavaClasses classes) {
        SERVICES_USE_NO_RAW_KAFKA_CONSUMER.check(classes); // not frozen: every consumer is an @Incoming channel now
    }

    @ArchTest
    void servicePackagesAreFreeOfCycles(JavaClasses classes) {
        SERVICE_PACKAGES_ARE_FREE_OF_CYCLES.check(classes);
    }

    /** One slice per top-level package of a service: {@code dev.loupe.label.rest}, {@code dev.loupe.label.service}. */
    static final class TopLevelPackages implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            for (String service : SERVICES) {
                String root = "dev.loupe." + service + ".";
                if (pkg.startsWith(root)) {
                    int dot = pkg.indexOf('.', root.length());
                    return SliceIdentifier.of(dot < 0 ? pkg : pkg.substring(0, dot));
                }
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "top-level packages of each service";
        }
    }

    /** Puts each class of a service into its service's slice; API packages and everything else into none. */
    static final class ServiceSlices implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            for (String service : SERVICES) {
                String root = "dev.loupe." + service;
                if (pkg.equals(root) || pkg.startsWith(root + ".")) {
                    boolean api = pkg.equals(root + ".api") || pkg.startsWith(root + ".api.");
                    return api ? SliceIdentifier.ignore() : SliceIdentifier.of(service);
                }
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "services " + SERVICES + " (without their dev.loupe.<service>.api.. packages)";
        }
    }
}
