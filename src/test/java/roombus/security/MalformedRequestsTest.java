package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
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

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "broken JSON in a send | xhr_send | text/plain | [\"{}\"",
        "a null message | xhr_send | text/plain | [null]",
        "an object for a message | xhr_send | text/plain | [{\"type\":\"ping\"}]",
        "a nested array | xhr_send | text/plain | [[\"{}\"]]",
        "a charset nobody knows | xhr_send | text/plain; charset=\u00e9 | [\"{}\"]",
        "a null message in a form | jsonp_send | application/x-www-form-urlencoded | d=%5Bnull%5D",
        "another content type | jsonp_send | text/html | [\"{}\"]",
        "an empty payload | xhr_send | text/plain | ''",
      })
  @DisplayName(
      "a SockJS send the protocol would answer with 500, or that vertx-web would fail on, is 400")
  void sockJsSends(String what, String transport, String contentType, String body) {
    try (CapturedLog log = CapturedLog.start()) {
      String session = openSockJsSession();

      Answer answer =
          send("POST", session + "/" + transport, List.of("Content-Type: " + contentType), body);

      assertThat(answer.status()).as(what).isEqualTo(400);
      assertQuiet(log);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/eventbus/1/%s/jsonp",
        "/eventbus/1/%s/htmlfile",
        "/eventbus/1/%s/jsonp?c=not%%20a%%20callback",
        "/eventbus/1/%s/htmlfile?c=" + "x%%3C"
      })
  @DisplayName("a SockJS poll without a usable callback is 400")
  void callbacks(String path) {
    try (CapturedLog log = CapturedLog.start()) {
      Answer answer = send("GET", String.format(path, newSessionId()), List.of(), "");

      assertThat(answer.status()).isEqualTo(400);
      assertQuiet(log);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "POST, /api/rooms?a=%zz, application/x-www-form-urlencoded",
    "POST, /api/rooms?a=%, multipart/form-data; boundary=b",
    "GET, /api/rooms/abc/chats?before=%zz, application/json",
    "POST, /eventbus/1/SESSION/xhr_send?a=%zz, application/x-www-form-urlencoded",
    "POST, /eventbus/1/SESSION/jsonp_send?c=%zz, application/x-www-form-urlencoded",
    "GET, /eventbus/1/SESSION/eventsource?a=%zz, text/plain",
    "POST, /eventbus/1/%zzSESSION/xhr, text/plain",
  })
  @DisplayName(
      "a query string (or a SockJS session id) that does not decode is 400 at once, whatever the"
          + " route and the body (it left form posts unanswered)")
  void undecodableQueries(String method, String target, String contentType) {
    try (CapturedLog log = CapturedLog.start()) {
      String path = target.replace("SESSION", newSessionId());

      Answer answer = send(method, path, List.of("Content-Type: " + contentType), "d=1");

      assertThat(answer.status()).isEqualTo(400);
      assertQuiet(log);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/rooms", "/api/rooms/abc/enter", "/eventbus/1/SESSION/xhr_send"})
  @DisplayName(
      "a chunked body whose second chunk has a broken size is cut off, never answered 500 nor"
          + " logged")
  void brokenChunks(String path) throws IOException {
    User visitor = hub.newUser();
    try (CapturedLog log = CapturedLog.start();
        Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path.replace("SESSION", newSessionId())
                  + " HTTP/1.1\r\nHost: x\r\nCookie: roombus.sid="
                  + visitor.sid()
                  + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                  + "Expect: 100-continue\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      // the body handler asks for the body: it is reading it now
      assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 100");
      out.write("1\r\n{\r\nzz\r\n}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII); // until it closes
      assertThat(rest).doesNotContain("HTTP/1.1 500");
      assertQuiet(log);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"multipart/form-data; boundary=", "multipart/form-data; boundary=\"\""})
  @DisplayName(
      "a multipart type with an empty boundary is 400 on the upload route and SockJS's, 415 on a JSON"
          + " route")
  void emptyBoundary(String contentType) {
    User alice = hub.newUser();
    String room = alice.createRoom("Uploads").getString("id");
    try (CapturedLog log = CapturedLog.start()) {
      for (String path :
          List.of("/api/rooms/" + room + "/gifs", "/api/rooms", "/eventbus/1/x/xhr_send")) {
        Answer answer =
            send(
                "POST",
                path,
                List.of("Cookie: roombus.sid=" + alice.sid(), "Content-Type: " + contentType),
                "--\r\n\r\n");
        // a JSON route refuses any other type before reading the body
        assertThat(answer.status()).as(path).isEqualTo(path.equals("/api/rooms") ? 415 : 400);
      }
      assertQuiet(log);
    }
  }

  @Test
  @DisplayName(
      "an upload whose Content-Disposition has an attribute without a value is refused with 400,"
          + " and logs no stack trace")
  void malformedDisposition() {
    User alice = hub.newUser();
    String room = alice.createRoom("Uploads").getString("id");
    String body =
        "--b\r\nContent-Disposition: form-data; name=\"gif\"; filename\r\n"
            + "Content-Type: image/gif\r\n\r\nGIF89a\r\n--b--\r\n";
    try (CapturedLog log = CapturedLog.start()) {
      Answer answer =
          send(
              "POST",
              "/api/rooms/" + room + "/gifs",
              List.of(
                  "Cookie: roombus.sid=" + alice.sid(),
                  "Content-Type: multipart/form-data; boundary=b"),
              body);

      assertThat(answer.status()).isEqualTo(400);
      assertQuiet(log);
    }
    assertThat(alice.history(room).array()).as("the room's history").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "--b\r\nContent-Disposition: form-data; name=\"gif\"; filename=\"a.gif\"\r\n\r\nGIF89a",
        "--b\r\nContent-Disposition: form-data; name=\"gif\"; filename=\"a.gif\"\r\n"
            + "Content-Length: 6\r\n\r\nGIF89a",
        "--b\r\nContent-Disposition: form-data; name=\"gif\"; filename=\"a.gif\"\r\n",
        "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello",
      })
  @DisplayName(
      "an upload whose body ends inside a part (no boundary after it) is answered 400 (within 5 s"
          + " for the GIF's part): it was never answered")
  void unfinishedMultipart(String body) {
    User alice = hub.newUser();
    String room = alice.createRoom("Uploads").getString("id");
    try (CapturedLog log = CapturedLog.start()) {
      Answer answer =
          send(
              "POST",
              "/api/rooms/" + room + "/gifs",
              List.of(
                  "Cookie: roombus.sid=" + alice.sid(),
                  "Content-Type: multipart/form-data; boundary=b"),
              body);

      assertThat(answer.status()).as("%s", answer).isEqualTo(400);
      assertQuiet(log);
    }
    assertThat(alice.history(room).array()).as("the room's history").isEmpty();
    TestHub.eventually(
        () -> {
          try (var left = Files.list(hub.dataDir().resolve("uploads"))) {
            assertThat(left).as("temporary upload files").isEmpty();
          }
        });
  }

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
