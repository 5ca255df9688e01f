package roombus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The terminal client's lines")
class TerminalLinesTest {

  private static final URI HUB = URI.create("http://127.0.0.1:8080/");

  private static String line(JsonObject event) {
    return TerminalLines.event(event, HUB);
  }

  @Test
  @DisplayName("show each kind of event as one line, with the speaker's colour")
  void events() {
    assertThat(
            line(new JsonObject().put("type", "welcome").put("color", "#123456").put("count", 3)))
        .isEqualTo("* you are #123456; 3 here; type a line to send it, Ctrl-D to leave");
    assertThat(line(new JsonObject().put("type", "chat").put("color", "#abcdef").put("chat", "hi")))
        .isEqualTo("[#abcdef] hi");
    assertThat(
            line(new JsonObject().put("type", "gif").put("color", "#abcdef").put("url", "/gif/f1")))
        .isEqualTo("[#abcdef] GIF http://127.0.0.1:8080/gif/f1");
    assertThat(
            line(
                new JsonObject()
                    .put("type", "whisper")
                    .put("color", "#abcdef")
                    .put("toColor", "#654321")
                    .put("chat", "psst")))
        .isEqualTo("[#abcdef whispers to #654321] psst");
    assertThat(line(new JsonObject().put("type", "removed"))).isEqualTo("* the room was deleted");
    assertThat(line(new JsonObject().put("type", "kick").put("chat", "#654321 was removed")))
        .isEqualTo("* #654321 was removed");
    assertThat(line(new JsonObject().put("type", "system").put("chat", "#654321 joined")))
        .isEqualTo("* #654321 joined");
  }

  @Test
  @DisplayName("replace terminal escape sequences and bidi overrides in what users wrote")
  void usersTextIsMadeSafe() {
    String line =
        line(
            new JsonObject()
                .put("type", "chat")
                .put("color", "#abcdef")
                .put("chat", "\u001b[2Jgone\u202Eevil"));

    assertThat(line).isEqualTo("[#abcdef] \uFFFD[2Jgone\uFFFDevil").doesNotContain("\u001b");
  }

  @Test
  @DisplayName("list the rooms with id, occupancy, lock and title, or say there are none")
  void rooms() {
    assertThat(TerminalLines.rooms(new JsonArray())).containsExactly("(no rooms)");
    JsonArray rooms =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("id", "r1")
                    .put("count", 2)
                    .put("max", 10)
                    .put("locked", true)
                    .put("title", "Cats"));

    assertThat(TerminalLines.rooms(rooms)).containsExactly("r1    2/10  locked  Cats");
  }

  @Test
  @DisplayName("say which room was created or entered, with its occupancy, its title made safe")
  void createdAndEntering() {
    JsonObject room =
        new JsonObject().put("id", "r7").put("title", "Dogs\u001b").put("count", 3).put("max", 8);

    assertThat(TerminalLines.created(room)).isEqualTo("* created \"Dogs\uFFFD\" (r7)");
    assertThat(TerminalLines.entering(room)).isEqualTo("* entering \"Dogs\uFFFD\" (r7), 3/8 here");
  }
}
