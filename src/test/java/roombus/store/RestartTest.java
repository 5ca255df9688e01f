package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;

@DisplayName("Rooms, messages and GIFs survive a clean restart of the hub on the same data folder")
class RestartTest {

  private static JsonObject listed(User who, String roomId) {
    return who.get("/api/rooms").array().stream()
        .map(JsonObject.class::cast)
        .filter(r -> roomId.equals(r.getString("id")))
        .findFirst()
        .orElse(null);
  }

  @Test
  @DisplayName(
      "after close and start on the same DATA_DIR, the room, its history and its GIF are all there")
  void cleanRestart(@StartHub TestHub hub) throws IOException {
    byte[] gif = tinyGif();
    User alice = hub.newUser();
    JsonObject room = alice.createRoom("Durable", 6, "open sesame");
    String id = room.getString("id");
    for (int i = 1; i <= 10; i++) alice.say(id, "line " + i);
    JsonObject gifMessage =
        alice.upload("/api/rooms/" + id + "/gifs", "gif", "kept.gif", "image/gif", gif).json();
    alice.say(id, "last words");
    JsonArray history = alice.history(id).array();
    assertThat(history).hasSize(12);

    hub.restart(); // close, then start on the same DATA_DIR

    User bob = hub.newUser();
    JsonObject seen = listed(bob, id);
    assertThat(seen).isNotNull();
    assertThat(seen.getString("title")).isEqualTo("Durable");
    assertThat(seen.getInteger("max")).isEqualTo(6);
    assertThat(seen.getString("owner")).isEqualTo(room.getString("owner"));
    assertThat(seen.getBoolean("locked")).isTrue();
    assertThat(seen.getString("createdAt")).isEqualTo(room.getString("createdAt"));
    assertThat(bob.enter(id, "wrong").status()).isEqualTo(403);
    assertThat(bob.enter(id, "open sesame").status()).isEqualTo(200);
    assertThat(bob.history(id).array()).isEqualTo(history);
    assertThat(bob.get("/gif/" + gifMessage.getString("gif")).bytes()).isEqualTo(gif);
    // numbering goes on where it stopped
    assertThat(bob.say(id, "after the restart").json().getLong("seq")).isEqualTo(13L);
  }

  private static byte[] tinyGif() throws IOException {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    image.setRGB(1, 1, 0xff0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "gif", out);
    return out.toByteArray();
  }
}
