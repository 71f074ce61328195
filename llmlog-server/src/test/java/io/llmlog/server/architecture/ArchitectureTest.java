package io.llmlog.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape of llmlog-server, checked on its compiled classes: only {@code store} speaks to the
 * engine, the packages form no cycle, {@code api} sits on top of the capabilities, and {@code
 * llmlog-core} depends on nothing of the server.
 */
class ArchitectureTest {
  private static final String SERVER = "io.llmlog.server";

  /**
   * The packages that are neither wiring, api, ui, store nor config: ingest, pipeline, query, live,
   * alert, lifecycle and those to come.
   */
  private static final Set<String> NOT_CAPABILITIES = Set.of("api", "ui", "cli", "store", "config");

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // The core module's test jar is on the class path too; its classes are tests, not core.
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages(SERVER, "io.llmlog.core");

  /**
   * Engine requests are typed operations of {@code store}; {@code api} may hold route paths only in
   * its marked route classes.
   */
  static final ArchRule ENGINE_REQUESTS_ONLY_IN_STORE =
      classes()
          .that()
          .resideOutsideOfPackage(SERVER + ".store..")
          .and()
          .areNotAnnotatedWith(SERVER + ".api.ElasticsearchRoutes")
          .should(EnginePaths.holdNoEngineRequests());

  static final ArchRule ROUTE_EXEMPTION_ONLY_IN_API =
      classes()
          .that()
          .areAnnotatedWith(SERVER + ".api.ElasticsearchRoutes")
          .should()
          .resideInAPackage(SERVER + ".api");

  static final ArchRule NO_PACKAGE_CYCLES =
      slices().matching(SERVER + ".(*)..").should().beFreeOfCycles();

  static final ArchRule LAYERS =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Wiring")
          .definedBy(SERVER, SERVER + ".cli..")
          .layer("Api")
          .definedBy(SERVER + ".api..")
          .layer("Ui")
          .definedBy(SERVER + ".ui..")
          .layer("Capabilities")
          .definedBy(capabilities())
          .layer("Store")
          .definedBy(SERVER + ".store..")
          .layer("Config")
          .definedBy(SERVER + ".config..")
          .whereLayer("Wiring")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Api")
          .mayOnlyBeAccessedByLayers("Wiring")
          .whereLayer("Ui")
          .mayOnlyBeAccessedByLayers("Api")
          .whereLayer("Capabilities")
          .mayOnlyBeAccessedByLayers("Wiring", "Api", "Capabilities")
          .whereLayer("Store")
          .mayOnlyBeAccessedByLayers("Wiring", "Api", "Capabilities")
          .whereLayer("Config")
          .mayOnlyBeAccessedByLayers("Wiring", "Api", "Capabilities", "Store");

  /**
   * Capabilities answer records; JSON is written in {@code api}. Stored documents are data and may
   * ride in a record; {@code store} hands the engine's own trees (settings, mappings) and KQL
   * compiles to the engine's query DSL.
   */
  static final ArchRule SERVICES_ANSWER_RECORDS =
      methods()
          .that()
          .arePublic()
          .and()
          .areDeclaredInClassesThat()
          .arePublic()
          .and()
          .areDeclaredInClassesThat()
          .resideInAPackage(SERVER + "..")
          .and()
          .areDeclaredInClassesThat()
          .resideOutsideOfPackages(SERVER + ".api..", SERVER + ".store..", SERVER + ".query.kql..")
          .should()
          .haveRawReturnType(
              DescribedPredicate.not(JavaClass.Predicates.assignableTo(JsonNode.class)))
          .as("public methods outside api, store and KQL answer records, not JSON trees");

  static final ArchRule CORE_STANDS_ALONE =
      classes()
          .that()
          .resideInAPackage("io.llmlog.core..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("io.llmlog.core..", "java..", "com.fasterxml.jackson.core..");

  private static DescribedPredicate<JavaClass> capabilities() {
    return DescribedPredicate.describe(
        "a capability package (" + SERVER + ".* but " + NOT_CAPABILITIES + ")",
        javaClass -> {
          String name = javaClass.getPackageName();
          if (!name.startsWith(SERVER + ".")) {
            return false;
          }
          String top = name.substring(SERVER.length() + 1).split("\\.")[0];
          return !NOT_CAPABILITIES.contains(top);
        });
  }

  @Test
  void classesOutsideStore_holdNoEngineRequests() {
    ENGINE_REQUESTS_ONLY_IN_STORE.check(MAIN);
    ROUTE_EXEMPTION_ONLY_IN_API.check(MAIN);
  }

  @Test
  void serverPackages_haveNoCycles() {
    NO_PACKAGE_CYCLES.check(MAIN);
  }

  @Test
  void api_isOnTopOfCapabilitiesStoreAndConfig() {
    LAYERS.check(MAIN);
  }

  @Test
  void capabilities_answerRecordsNotJson() {
    SERVICES_ANSWER_RECORDS.check(MAIN);
  }

  @Test
  void core_dependsOnNothingOfTheServer() {
    CORE_STANDS_ALONE.check(MAIN);
  }

  // --- the rules' own tests, on deliberately bad classes ---

  @Test
  void engineRequestRule_classBuildingAnEnginePath_isViolated() {
    EvaluationResult result =
        ENGINE_REQUESTS_ONLY_IN_STORE.evaluate(
            new ClassFileImporter().importClasses(BuildsEnginePath.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(
            line ->
                assertThat(line).contains(BuildsEnginePath.class.getName()).contains("…/_doc/…"))
        .anySatisfy(line -> assertThat(line).contains("if_seq_no="));
  }

  @Test
  void engineRequestRule_classWithoutEnginePaths_passes() {
    EvaluationResult result =
        ENGINE_REQUESTS_ONLY_IN_STORE.evaluate(
            new ClassFileImporter().importClasses(UsesOwnRoutes.class));

    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }

  @Test
  void enginePathPattern_routesAndMessages_areToldApart() {
    assertThat(
            List.of(
                "/_cluster/health?wait_for_status=yellow",
                "\u0001/_search?\u0001",
                "ignore_unavailable=true",
                "/_cat/indices/"))
        .allMatch(EnginePaths::isEngineRequest);
    assertThat(
            List.of(
                "/api/v1/search",
                "the _msearch header",
                "_search",
                "/api/v1/logs/_bulk_import_help",
                "llm-logs-*"))
        .noneMatch(EnginePaths::isEngineRequest);
  }

  /** A capability that sends its own engine request: what the rule exists to stop. */
  static final class BuildsEnginePath {
    String lease(String index, String id, long seqNo, long primaryTerm) {
      return "/"
          + index
          + "/_doc/"
          + id
          + "?if_seq_no="
          + seqNo
          + "&if_primary_term="
          + primaryTerm;
    }
  }

  /** llmlog's own API paths are not the engine's. */
  static final class UsesOwnRoutes {
    String page(String requestId) {
      return "/api/v1/logs/" + requestId + "?fields=model";
    }
  }
}
