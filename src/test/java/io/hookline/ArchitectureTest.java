package io.hookline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.hookline.testsupport.UnitTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of docs/ARCHITECTURE.md, checked on the compiled classes: API → services → contract, queue, engine and
 * sending → stored rows → shared pieces, never upwards, and no cycle between packages. A failure names the class and
 * the dependency that broke the rule; move the code, or fire a CDI event instead of calling up.
 */
@UnitTest
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMain() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hookline");
    }

    @Test
    void layersRunOneWay() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("api")
                .definedBy(
                        "io.hookline.api..",
                        "io.hookline.portal..",
                        "io.hookline.auth..",
                        "io.hookline.ratelimit..",
                        "io.hookline.health..")
                .layer("services")
                .definedBy("io.hookline.service..", "io.hookline.retention..")
                .layer("contract")
                .definedBy("io.hookline.contract..")
                .layer("engine")
                .definedBy("io.hookline.engine..")
                .layer("send")
                .definedBy("io.hookline.send..")
                .layer("queue")
                .definedBy("io.hookline.queue..")
                .layer("store")
                .definedBy("io.hookline.store..")
                .layer("shared")
                .definedBy(
                        "io.hookline.config..",
                        "io.hookline.crypto..",
                        "io.hookline.signing..",
                        "io.hookline.ingest..",
                        "io.hookline.net..",
                        "io.hookline.retry..",
                        "io.hookline.common..",
                        "io.hookline.devdb..")
                .whereLayer("api")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("services")
                .mayOnlyBeAccessedByLayers("api")
                // the engine is driven by the scheduler, by CDI events the services fire, and by the operator's drain
                .whereLayer("engine")
                .mayOnlyBeAccessedByLayers("api")
                .whereLayer("contract")
                .mayOnlyBeAccessedByLayers("api", "services")
                .whereLayer("send")
                .mayOnlyBeAccessedByLayers("services", "engine")
                .whereLayer("queue")
                .mayOnlyBeAccessedByLayers("api", "services", "engine", "send")
                .whereLayer("store")
                .mayOnlyBeAccessedByLayers("api", "services", "contract", "engine", "send", "queue")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.hookline.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void configurationMappingsCarryNoBeanValidationConstraints() {
        noClasses()
                .that()
                .resideInAPackage("io.hookline.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.validation..", "org.hibernate.validator..")
                .because("one constraint on a @ConfigMapping makes quarkus-hibernate-validator validate every"
                        + " configuration class of every extension at start-up (0.55 s of a 2.6 s start, issue 12):"
                        + " a key's rule goes in ConfigRules")
                .check(classes);
    }
}
