package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;
import roombus.security.FuzzClients.Answer;
import roombus.security.FuzzInputs.HttpInput;

/**
 * What {@link FuzzTest} found, pinned down: requests the hub cannot read are the client's mistake,
 * answered with a 4xx (or the connection closed), never a 500, never left hanging, and none of them
 * costs the log a stack trace.
 */
@DisplayName("Requests the hub cannot read are the client's mistake: 4xx, no 500, no stack trace")
class MalformedRequestsTest {

  @StartHub private static TestHub hub;

  @Test
  @DisplayName(
      "a websocket the hub closed for a frame over 64 KiB, whose client never answers the close,"
          + " gets nothing more and costs no stack trace while its room goes on talking")
  void closingWebSocket() {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String room = alice.createRoom("Busy").getString("id");
    assertThat(bob.enter(room).status()).isEqualTo(200);
    try (CapturedLog log = CapturedLog.start();
        DeadPeer closing = DeadPeer.rawWebSocket(hub.base(), bob.sid(), "chat.room." + room)) {
      TestHub.eventually(
          () ->
              assertThat(
                      alice.history(room).array().stream()
                          .map(m -> ((JsonObject) m).getString("user")))
                  .contains(bob.id()));
      closing.sendTooLargeFrame();

      for (int i = 0; i < 30; i++)
        assertThat(alice.say(room, "hello " + i).status()).isEqualTo(201);

      assertThat(log.linesContaining("WebSocket is closed")).isEmpty();
      assertQuiet(log);
    }
  }

  @Test
  @DisplayName(
      "clients that leave while a file is being sent to them cost no log line (a failure after the"
          + " answer has gone)")
  void clientsLeavingMidFile() throws IOException {
    try (CapturedLog log = CapturedLog.start()) {
      for (int i = 0; i < 50; i++) {
        try (Socket socket = new Socket("127.0.0.1", port())) {
          socket.setSoLinger(true, 0); // a reset, not a goodbye
          socket
              .getOutputStream()
              .write(
                  ("GET /vendor/sockjs/sockjs.min.js HTTP/1.1\r\nHost: x\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
          InputStream in = socket.getInputStream();
          in.read(); // the answer has begun
        }
      }
      assertThat(hub.newUser().get("/").status()).as("the node still serves").isEqualTo(200);
      assertQuiet(log);
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private static void assertQuiet(CapturedLog log) {
    assertThat(log.linesContaining("Answered 5")).as("answers of 500 logged").isEmpty();
    assertThat(log.linesContaining(" ERROR ")).as("errors logged").isEmpty();
    assertThat(log.stackFrames()).as("stack trace lines logged").isEmpty();
  }

  /** Opens a SockJS xhr session (as a cookie-less visitor) and gives its path. */
  private static String openSockJsSession() {
    String session = "/eventbus/1/" + newSessionId();
    Answer opened = send("POST", session + "/xhr", List.of(), "");
    assertThat(opened.status()).as("opening a SockJS session").isEqualTo(200);
    return session;
  }

  private static String newSessionId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static Answer send(String method, String target, List<String> headers, String body) {
    return FuzzClients.send(
        port(),
        new HttpInput(method, target, headers, body.getBytes(StandardCharsets.UTF_8), false),
        true,
        false);
  }

  private static int port() {
    return Integer.parseInt(hub.base().substring(hub.base().lastIndexOf(':') + 1));
  }
}
