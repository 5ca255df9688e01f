package roombus.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName(
    "GIF uploads: real GIFs only, at most 5 MiB, stored before they are shown, served back byte for byte")
class GifUploadTest {

  @StartHub private static TestHub hub;

  /** A real image encoded by the JDK: a small picture with a few colours. */
  private static byte[] image(String format, int width, int height) throws IOException {
    BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = picture.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLUE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(picture, format, out))
      throw new IllegalStateException("No " + format + " writer");
    return out.toByteArray();
  }

  private static Reply uploadGif(User who, String roomId, String fileName, byte[] bytes) {
    return who.upload("/api/rooms/" + roomId + "/gifs", "gif", fileName, "image/gif", bytes);
  }

  private static long filesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }

  @Test
  @DisplayName(
      "a real GIF answers 201 with the stored message, and its URL serves the same bytes as image/gif")
  void realGif() throws IOException {
    User alice = hub.newUser();
    String id = alice.createRoom("Funny pictures").getString("id");
    byte[] gif = image("gif", 40, 30);
    assertThat(new String(gif, 0, 6, "ISO-8859-1")).startsWith("GIF8");

    Reply reply = uploadGif(alice, id, "funny.gif", gif);

    assertThat(reply.status()).isEqualTo(201);
    JsonObject message = reply.json();
    assertThat(message.getString("type")).isEqualTo("gif");
    assertThat(message.getString("user")).isEqualTo(alice.id());
    assertThat(message.getString("room")).isEqualTo(id);
    assertThat(message.getLong("seq")).isEqualTo(1L);
    assertThat(message.getString("gif")).isNotBlank();
    assertThat(message.getString("url")).endsWith(message.getString("gif"));

    Reply served = hub.newUser().get("/gif/" + message.getString("gif"));
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.header("Content-Type")).isEqualTo("image/gif");
    assertThat(served.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(served.bytes()).isEqualTo(gif);
    Reply byUrl = alice.get("/" + message.getString("url"));
    assertThat(byUrl.bytes()).isEqualTo(gif);
    assertThat(alice.history(id).array()).containsExactly(message);
  }

  @Test
  @DisplayName("a GIF upload reaches the others in the room live, once stored")
  void gifIsBroadcast(Vertx vertx) throws IOException {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Live pictures").getString("id");
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);

    JsonObject message = uploadGif(alice, id, "live.gif", image("gif", 8, 8)).json();

    JsonObject received =
        bobSocket.awaitMessage("chat.room." + id, m -> "gif".equals(m.getString("type")));
    assertThat(received).isEqualTo(message);
  }

  @Test
  @DisplayName("a PNG renamed .gif is refused with 415 and nothing is stored")
  void pngRenamed() throws IOException {
    User alice = hub.newUser();
    String id = alice.createRoom("Not a GIF").getString("id");
    alice.say(id, "before");
    JsonArray before = alice.history(id).array();

    Reply reply = uploadGif(alice, id, "sneaky.gif", image("png", 40, 30));

    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.json().getString("error")).isNotBlank();
    assertThat(alice.history(id).array()).isEqualTo(before);
    TestHub.eventually(() -> assertThat(filesIn(hub.dataDir().resolve("uploads"))).isZero());
  }

  @Test
  @DisplayName("a 6 MiB GIF is refused with 413 and nothing is stored")
  void tooLarge() throws IOException {
    User alice = hub.newUser();
    String id = alice.createRoom("Too big").getString("id");
    alice.say(id, "before");
    JsonArray before = alice.history(id).array();
    byte[] huge = new byte[6 * 1024 * 1024];
    new Random(42).nextBytes(huge);
    byte[] gif = image("gif", 8, 8);
    System.arraycopy(gif, 0, huge, 0, gif.length); // a GIF header, then far too much of it

    Reply reply = uploadGif(alice, id, "huge.gif", huge);

    assertThat(reply.status()).isEqualTo(413);
    assertThat(alice.history(id).array()).isEqualTo(before);
    TestHub.eventually(() -> assertThat(filesIn(hub.dataDir().resolve("uploads"))).isZero());
  }

  @Test
  @DisplayName("an upload without the gif field answers 400 and stores nothing")
  void missingField() throws IOException {
    User alice = hub.newUser();
    String id = alice.createRoom("Wrong field").getString("id");

    Reply reply =
        alice.upload(
            "/api/rooms/" + id + "/gifs", "file", "funny.gif", "image/gif", image("gif", 8, 8));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isNotBlank();
    assertThat(alice.history(id).array()).isEmpty();
  }

  @Test
  @DisplayName("uploading to a room the session did not enter answers 403 and stores nothing")
  void notEntered() throws IOException {
    User alice = hub.newUser();
    String id = alice.createRoom("Members only").getString("id");

    Reply reply = uploadGif(hub.newUser(), id, "gatecrash.gif", image("gif", 8, 8));

    assertThat(reply.status()).isEqualTo(403);
    assertThat(alice.history(id).array()).isEmpty();
  }

  @Test
  @DisplayName("an unknown GIF id answers 404")
  void unknownGif() {
    assertThat(hub.newUser().get("/gif/0123456789abcdef01234567").status()).isEqualTo(404);
    assertThat(hub.newUser().get("/gif/not-an-id").status()).isEqualTo(404);
  }
}
