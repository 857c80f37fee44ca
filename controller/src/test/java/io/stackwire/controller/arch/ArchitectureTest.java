package io.stackwire.controller.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of docs/architecture.md, as rules: no cycles between packages, the planner pure
 * (no I/O, no clock, no adapter), docker-java only inside the adapter, and each module depending only
 * on the ones below it. The controller module's test classpath holds all three modules' main classes.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // Main classes come from target/classes in a test run, but from the modules' jars when the
        // reactor runs verify; test classes from target/test-classes or reconcile's test-jar.
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.stackwire");
    }

    @Test
    void importsAllThreeModules() {
        // Guards the rules below against passing vacuously on an empty import.
        org.assertj.core.api.Assertions.assertThat(main.stream().map(c -> c.getPackageName()).distinct())
                .contains("io.stackwire.model", "io.stackwire.reconcile.plan", "io.stackwire.reconcile.daemon",
                        "io.stackwire.reconcile.docker", "io.stackwire.controller.cli");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.stackwire.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void thePlannerIsPure() {
        noClasses().that().resideInAPackage("io.stackwire.reconcile.plan..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.stackwire.reconcile.docker..", "io.stackwire.reconcile.apply..",
                        "io.stackwire.reconcile.render..", "io.stackwire.controller..",
                        "com.github.dockerjava..", "com.fasterxml.jackson..", "org.eclipse.jgit..", "org.quartz..",
                        "java.io..", "java.nio.file..", "java.net..", "java.util.concurrent..")
                .because("planning is a pure function of (desired, live, policy): docs/planning.md")
                .check(main);
        noClasses().that().resideInAPackage("io.stackwire.reconcile.plan..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "getenv", String.class)
                .because("the planner reads no clock and no environment; time comes in with the policy")
                .check(main);
    }

    @Test
    void dockerJavaStaysInTheAdapter() {
        noClasses().that().resideOutsideOfPackage("io.stackwire.reconcile.docker..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .because("all Docker I/O goes through the DockerGateway port (reconcile.daemon)")
                .check(main);
    }

    @Test
    void onlyTheWiringKnowsTheAdapter() {
        noClasses().that().resideInAnyPackage("io.stackwire.reconcile", "io.stackwire.reconcile.daemon..",
                        "io.stackwire.reconcile.plan..", "io.stackwire.reconcile.apply..", "io.stackwire.reconcile.render..")
                .should().dependOnClassesThat().resideInAPackage("io.stackwire.reconcile.docker..")
                .check(main);
    }

    @Test
    void modulesDependDownwardsOnly() {
        noClasses().that().resideInAPackage("io.stackwire.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.stackwire.reconcile..", "io.stackwire.controller..")
                .check(main);
        noClasses().that().resideInAPackage("io.stackwire.reconcile..")
                .should().dependOnClassesThat().resideInAPackage("io.stackwire.controller..")
                .check(main);
    }
}
