package roombus.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The package structure docs/architecture.md draws, checked on the compiled classes. */
@DisplayName("Package rules")
class PackageRulesTest {

  private static final String[] SERVER = {
    "roombus.model..", "roombus.bus..", "roombus.store..", "roombus.embedded..", "roombus.room..",
    "roombus.chat..", "roombus.identity..", "roombus.upload..", "roombus.bridge..",
        "roombus.http..",
    "roombus.cluster..", "roombus.common..", "roombus.metrics..", "roombus.ops..",
        "roombus.admin..",
    "roombus.guard.."
  };
  private static final String[] TOOLS = {
    "roombus.client..", "roombus.bench..", "roombus.busclient.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("roombus");
  }

  @Test
  @DisplayName("no two packages depend on each other, directly or round about")
  void noCycles() {
    slices().matching("roombus.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  @DisplayName("the model depends on no other package of the hub")
  void modelStandsAlone() {
    noClasses()
        .that()
        .resideInAPackage("roombus.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(otherThan("roombus.model..", SERVER))
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(TOOLS)
        .check(classes);
  }

  @Test
  @DisplayName("storage knows the model and nothing above it")
  void storageBelowServices() {
    noClasses()
        .that()
        .resideInAPackage("roombus.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "roombus.room..",
            "roombus.chat..",
            "roombus.identity..",
            "roombus.bridge..",
            "roombus.http..",
            "roombus.common..",
            "roombus.upload..",
            "roombus.cluster..",
            "roombus.embedded..")
        .check(classes);
  }

  @Test
  @DisplayName("the embedded engine is a MongoDB server of its own: it knows nothing of the hub")
  void embeddedEngineApart() {
    noClasses()
        .that()
        .resideInAPackage("roombus.embedded..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(otherThan("roombus.embedded..", SERVER))
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(TOOLS)
        .check(classes);
  }

  @Test
  @DisplayName("services never reach up into the transports")
  void servicesBelowTransports() {
    noClasses()
        .that()
        .resideInAnyPackage("roombus.room..", "roombus.chat..", "roombus.identity..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("roombus.bridge..", "roombus.http..")
        .check(classes);
  }

  @Test
  @DisplayName("the limits against abuse know the settings, the model and the common errors only")
  void guardsBelowServices() {
    noClasses()
        .that()
        .resideInAPackage("roombus.guard..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            otherThan(
                "roombus.guard..",
                java.util.stream.Stream.of(SERVER)
                    .filter(p -> !p.equals("roombus.model..") && !p.equals("roombus.common.."))
                    .toArray(String[]::new)))
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(TOOLS)
        .check(classes);
  }

  @Test
  @DisplayName(
      "the command-line client and the load tool use the client library, never the server's packages")
  void toolsApartFromServer() {
    noClasses()
        .that()
        .resideInAnyPackage(TOOLS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(SERVER)
        .check(classes);
  }

  @Test
  @DisplayName("the server does not depend on the tools")
  void serverWithoutTools() {
    noClasses()
        .that()
        .resideInAnyPackage(SERVER)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(TOOLS)
        .check(classes);
  }

  /** The server packages but {@code keep}. */
  private static String[] otherThan(String keep, String[] all) {
    return java.util.Arrays.stream(all).filter(p -> !p.equals(keep)).toArray(String[]::new);
  }
}
