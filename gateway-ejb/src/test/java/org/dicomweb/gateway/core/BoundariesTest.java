package org.dicomweb.gateway.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency directions of docs/architecture.md: backends depend on the core and gateway-api; the core on
 * gateway-api only; gateway-api on nothing of the gateway and not on PixelMed. A backend that needs something of
 * another backend moves it into the core instead.
 */
@AnalyzeClasses(packages = "org.dicomweb.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class BoundariesTest {

    @ArchTest
    static final ArchRule coreKnowsNoBackend = noClasses().that().resideInAPackage("org.dicomweb.gateway.core..")
            .should().dependOnClassesThat().resideInAPackage("org.dicomweb.gateway.backend..")
            .because("the core is shared by every backend and chooses them only through the Backend interface");

    @ArchTest
    static final ArchRule backendsAreIndependent = slices().matching("org.dicomweb.gateway.backend.(*)..")
            .should().notDependOnEachOther()
            .because("a backend can be added or removed without touching the others");

    @ArchTest
    static final ArchRule apiIsImplementationFree = noClasses().that().resideInAnyPackage(
                    "org.dicomweb.gateway.access..", "org.dicomweb.gateway.admin..", "org.dicomweb.gateway.aets..",
                    "org.dicomweb.gateway.audit..", "org.dicomweb.gateway.changefeed..", "org.dicomweb.gateway.error..",
                    "org.dicomweb.gateway.health..", "org.dicomweb.gateway.qido..", "org.dicomweb.gateway.reindex..",
                    "org.dicomweb.gateway.stow..",
                    "org.dicomweb.gateway.tasks..", "org.dicomweb.gateway.validation..",
                    "org.dicomweb.gateway.wado..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.dicomweb.gateway.core..", "org.dicomweb.gateway.backend..", "com.pixelmed..")
            .because("gateway-api is what the web layer sees: service interfaces and plain values only");
}
