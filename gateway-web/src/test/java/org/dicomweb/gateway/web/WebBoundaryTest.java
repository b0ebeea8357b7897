package org.dicomweb.gateway.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The web layer is thin: it speaks HTTP and the service interfaces of gateway-api, and nothing else of the gateway
 * (no core, no backend, no PixelMed), so that any backend can serve any request and the HTTP layer cannot grow DICOM
 * logic of its own.
 */
@AnalyzeClasses(packages = "org.dicomweb.gateway.web", importOptions = ImportOption.DoNotIncludeTests.class)
class WebBoundaryTest {

    @ArchTest
    static final ArchRule webUsesOnlyTheApi = classes().that().resideInAPackage("org.dicomweb.gateway.web..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "org.dicomweb.gateway.web..",
                    // gateway-api's packages
                    "org.dicomweb.gateway.access..", "org.dicomweb.gateway.admin..", "org.dicomweb.gateway.aets..",
                    "org.dicomweb.gateway.audit..", "org.dicomweb.gateway.changefeed..", "org.dicomweb.gateway.error..",
                    "org.dicomweb.gateway.health..", "org.dicomweb.gateway.qido..", "org.dicomweb.gateway.reindex..",
                    "org.dicomweb.gateway.stow..",
                    "org.dicomweb.gateway.tasks..", "org.dicomweb.gateway.validation..",
                    "org.dicomweb.gateway.wado..",
                    "java..", "jakarta..", "org.apache.james.mime4j..",
                    // ConnectionAbort only: WildFly's web server and its I/O conduits, to cut a response whose
                    // body failed midway
                    "io.undertow.server..", "io.undertow.servlet.handlers..", "io.undertow.util..", "org.xnio.conduits..",
                    // FileSendingSink only: Undertow's servlet output stream takes a file (sendfile), which the
                    // Servlet API cannot hand over
                    "io.undertow.io..")
            .because("gateway-web may use only gateway-api, Jakarta EE, the JDK, mime4j and, to cut a response,"
                    + " Undertow and XNIO, and to send a cached file, Undertow's output stream (docs/architecture.md)");
}
