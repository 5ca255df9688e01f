package roombus.busclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static roombus.busclient.SockJsFrames.Kind;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SockJS polling answers are decoded as sockjs-client reads them")
class SockJsFramesTest {

  private final List<String> frames = new ArrayList<>();

  @Test
  @DisplayName("o opens the session and h is a heartbeat; neither carries a frame")
  void openAndHeartbeat() {
    assertThat(SockJsFrames.decode("o\n", frames::add)).isEqualTo(Kind.OPEN);
    assertThat(SockJsFrames.decode("h\n", frames::add)).isEqualTo(Kind.HEARTBEAT);
    assertThat(frames).isEmpty();
  }

  @Test
  @DisplayName("a[...] carries bridge frames as JSON strings, each handed over whole and in order")
  void array() {
    String answer =
        "a[\"{\\\"type\\\":\\\"rec\\\",\\\"address\\\":\\\"chat.rooms\\\",\\\"body\\\":{\\\"chat\\\":\\\"a \\\\\\\"quote\\\\\\\"\\\"}}\","
            + "\"{\\\"type\\\":\\\"pong\\\"}\"]\n";

    assertThat(SockJsFrames.decode(answer, frames::add)).isEqualTo(Kind.MESSAGES);
    assertThat(frames)
        .containsExactly(
            "{\"type\":\"rec\",\"address\":\"chat.rooms\",\"body\":{\"chat\":\"a \\\"quote\\\"\"}}",
            "{\"type\":\"pong\"}");
  }

  @Test
  @DisplayName("c[code,reason] closes the session, even after frames in the same answer")
  void close() {
    assertThat(SockJsFrames.decode("c[3000,\"Go away!\"]\n", frames::add)).isEqualTo(Kind.CLOSE);
    assertThat(SockJsFrames.decode("a[\"{}\"]\nc[1002,\"Connection interrupted\"]\n", frames::add))
        .isEqualTo(Kind.CLOSE);
    assertThat(frames).containsExactly("{}");
  }

  @Test
  @DisplayName("anything else is unknown, and a broken array is an error")
  void unknown() {
    assertThat(SockJsFrames.decode("", frames::add)).isEqualTo(Kind.UNKNOWN);
    assertThat(SockJsFrames.decode("<html>", frames::add)).isEqualTo(Kind.UNKNOWN);
    assertThatThrownBy(() -> SockJsFrames.decode("a[\"unterminated", frames::add))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  @DisplayName("an xhr_send body is the queued frames as one JSON array of strings")
  void encode() {
    String body =
        SockJsFrames.encode(
            List.of("{\"type\":\"ping\"}", "{\"type\":\"send\",\"body\":\"x\\\"y\"}"));

    assertThat(body)
        .isEqualTo(
            "[\"{\\\"type\\\":\\\"ping\\\"}\",\"{\\\"type\\\":\\\"send\\\",\\\"body\\\":\\\"x\\\\\\\"y\\\"}\"]");
    assertThat(SockJsFrames.decode("a" + body, frames::add)).isEqualTo(Kind.MESSAGES);
    assertThat(frames)
        .containsExactly("{\"type\":\"ping\"}", "{\"type\":\"send\",\"body\":\"x\\\"y\"}");
  }
}
