package roombus.busclient;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client side (the library, the command-line client, the load tool) is what an outside program
 * could write from the protocol: it uses no class of the hub, and the hub uses none of it. Read from the
 * sources, code lines only (comments may name anything).
 */
@DisplayName("The client side and the hub do not reach into each other's packages")
class PackageBoundariesTest {

  private static final Path SOURCES = Path.of("src/main/java/roombus");
  private static final Pattern REFERENCE = Pattern.compile("\\broombus\\.([A-Za-z]+)\\b");
  private static final List<String> CLIENT_SIDE = List.of("busclient", "client", "bench");

  @Test
  @DisplayName("busclient, client and bench name no server package nor class; busclient names neither client nor bench")
  void clientSideUsesNoServerCode() {
    List<String> offences = new ArrayList<>();
    for (String pkg : CLIENT_SIDE) {
      for (Reference ref : references(SOURCES.resolve(pkg))) {
        boolean allowed = ref.target().equals(pkg) || ref.target().equals("busclient");
        if (!allowed) offences.add(ref.toString());
      }
    }
    assertThat(offences).isEmpty();
  }

  @Test
  @DisplayName("no server package names busclient, client or bench; only Main dispatches to the client and the load tool")
  void serverUsesNoClientCode() {
    List<String> offences = new ArrayList<>();
    for (Reference ref : references(SOURCES)) {
      boolean fromClientSide = CLIENT_SIDE.stream().anyMatch(pkg -> ref.file().startsWith(SOURCES.resolve(pkg)));
      if (fromClientSide || !CLIENT_SIDE.contains(ref.target())) continue;
      boolean mainDispatching = ref.file().equals(SOURCES.resolve("Main.java")) && !ref.target().equals("busclient");
      if (!mainDispatching) offences.add(ref.toString());
    }
    assertThat(offences).isEmpty();
  }

  private record Reference(Path file, String target, String line) {
    @Override
    public String toString() {
      return file + ": " + line.trim();
    }
  }

  private static List<Reference> references(Path dir) {
    List<Reference> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        boolean inTextBlock = false;
        for (String line : Files.readAllLines(file)) {
          String code = line.trim();
          if (code.split("\"\"\"", -1).length % 2 == 0) inTextBlock = !inTextBlock; // text blocks are text, like usage lines
          if (inTextBlock || code.endsWith("\"\"\";")) continue;
          if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//") || code.startsWith("package ")) continue;
          code = code.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\""); // string literals ("roombus.sid") are no references
          int comment = code.indexOf("//");
          if (comment >= 0) code = code.substring(0, comment);
          Matcher m = REFERENCE.matcher(code);
          while (m.find()) found.add(new Reference(file, m.group(1), line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }
}
