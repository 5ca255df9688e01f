package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

@DisplayName("GIF uploads are limited in parts, and their temporary files go away whatever happens")
class MultipartLimitsTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final byte[] TINY_GIF = Multipart.TINY_GIF;

  /**
   * A hub of its own for each test: the uploads folder of one must not hide what another left
   * there.
   */
  @StartHub private TestHub hub;

  @Test
  @DisplayName(
      "an upload of 1,000 gif parts answers a 4xx JSON error, stores nothing, leaves no temporary file,"
          + " logs no error, and the others go on chatting")
  void thousandFileParts() {
    User alice = hub.newUser();
    String id = alice.createRoom("Many parts").getString("id");
    try (Conversation others = Conversation.start(hub);
        CapturedLog log = CapturedLog.start()) {
      Reply reply = postMultipart(alice, id, 1_000, true);

      assertRefused(reply);
      assertThat(alice.history(id).array()).as("the room's history").isEmpty();
      eventually(() -> assertThat(filesIn(uploads())).as("temporary files").isZero());
      others.finish();
      assertThat(log.warnings()).as("warnings and errors logged").isEmpty();
      assertThat(log.stackFrames()).as("stack traces logged").isEmpty();
    }
  }

  @Test
  @DisplayName("an upload of 1,000 tiny form fields answers a 4xx JSON error and logs no error")
  void thousandFields() {
    User alice = hub.newUser();
    String id = alice.createRoom("Many fields").getString("id");
    try (CapturedLog log = CapturedLog.start()) {
      Reply reply = postMultipart(alice, id, 1_000, false);

      assertRefused(reply);
      assertThat(alice.history(id).array()).isEmpty();
      eventually(() -> assertThat(filesIn(uploads())).isZero());
      assertThat(log.warnings()).as("warnings and errors logged").isEmpty();
      assertThat(log.stackFrames()).as("stack traces logged").isEmpty();
    }
  }

  @Test
  @DisplayName("an upload with two gif parts is refused with 400: one GIF per upload")
  void twoGifs() {
    User alice = hub.newUser();
    String id = alice.createRoom("Two at once").getString("id");

    Reply reply = postMultipart(alice, id, 2, true);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isNotBlank();
    assertThat(alice.history(id).array()).isEmpty();
    eventually(() -> assertThat(filesIn(uploads())).isZero());
  }

  @Test
  @DisplayName(
      "a client that drops its connection in the middle of an upload leaves no temporary file, and the next upload works")
  void abortedUpload() throws IOException {
    User alice = hub.newUser();
    String id = alice.createRoom("Half a GIF").getString("id");
    String boundary = "----roombus" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"gif\"; filename=\"half.gif\"\r\n"
                + "Content-Type: image/gif\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    URI base = URI.create(hub.base());

    try (CapturedLog log = CapturedLog.start()) {
      try (Socket socket = new Socket(base.getHost(), base.getPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /api/rooms/"
                    + id
                    + "/gifs HTTP/1.1\r\n"
                    + "Host: "
                    + base.getHost()
                    + ":"
                    + base.getPort()
                    + "\r\n"
                    + "Cookie: roombus.sid="
                    + alice.sid()
                    + "\r\n"
                    + "Content-Type: multipart/form-data; boundary="
                    + boundary
                    + "\r\n"
                    + "Content-Length: "
                    + (4 * 1024 * 1024)
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(head);
        out.write(TINY_GIF, 0, 6);
        out.write(new byte[256 * 1024]);
        out.flush();
        eventually(() -> assertThat(filesIn(uploads())).as("the upload under way").isPositive());
      } // the client goes away with 3.7 MiB still to send

      eventually(() -> assertThat(filesIn(uploads())).as("temporary files").isZero());
      assertThat(log.stackFrames()).as("stack traces logged").isEmpty();
    }
    assertThat(
            alice
                .upload("/api/rooms/" + id + "/gifs", "gif", "whole.gif", "image/gif", TINY_GIF)
                .status())
        .isEqualTo(201);
    eventually(() -> assertThat(filesIn(uploads())).isZero());
  }

  @Test
  @DisplayName(
      "an upload without a Content-Length that runs past 5 MiB + 64 KiB is cut off with 413, and leaves no temporary file")
  void chunkedTooLarge() throws IOException {
    User alice = hub.newUser();
    String id = alice.createRoom("Endless GIF").getString("id");
    String boundary = "----roombus" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"gif\"; filename=\"endless.gif\"\r\n"
                + "Content-Type: image/gif\r\n\r\nGIF89a")
            .getBytes(StandardCharsets.UTF_8);
    URI base = URI.create(hub.base());

    try (CapturedLog log = CapturedLog.start();
        Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/rooms/"
                  + id
                  + "/gifs HTTP/1.1\r\n"
                  + "Host: "
                  + base.getHost()
                  + ":"
                  + base.getPort()
                  + "\r\n"
                  + "Cookie: roombus.sid="
                  + alice.sid()
                  + "\r\n"
                  + "Content-Type: multipart/form-data; boundary="
                  + boundary
                  + "\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(chunk(head));
      byte[] data = new byte[64 * 1024];
      String answer = null;
      socket.setSoTimeout(10);
      for (int sent = 0; sent < 8 * 1024 * 1024 && answer == null; sent += data.length) {
        try {
          out.write(chunk(data));
          answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        } catch (java.net.SocketTimeoutException notYet) {
          // no answer yet: go on sending
        } catch (IOException closed) {
          break;
        }
      }
      if (answer == null) {
        socket.setSoTimeout(10_000);
        answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      }

      assertThat(answer).isEqualTo("HTTP/1.1 413");
      eventually(() -> assertThat(filesIn(uploads())).as("temporary files").isZero());
      assertThat(log.stackFrames()).as("stack traces logged").isEmpty();
    }
  }

  private static byte[] chunk(byte[] data) {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream(data.length + 16);
    chunk.writeBytes(
        (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    chunk.writeBytes(data);
    chunk.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return chunk.toByteArray();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static void assertRefused(Reply reply) {
    assertThat(reply.status()).as("status of %s", reply).isBetween(400, 499);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().getString("error")).isNotBlank();
  }

  /**
   * A multipart upload of {@code parts} parts: GIF files named {@code gif}, or small text fields.
   */
  private Reply postMultipart(User who, String roomId, int parts, boolean files) {
    HttpRequest request =
        Multipart.upload(hub.base() + "/api/rooms/" + roomId + "/gifs", who.sid(), parts, files);
    try {
      HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Path uploads() {
    return hub.dataDir().resolve("uploads");
  }

  private static long filesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
