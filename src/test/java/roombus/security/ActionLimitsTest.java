package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

@DisplayName("Entering and uploading are limited per user")
class ActionLimitsTest {

  @StartHub private static TestHub hub;

  @Test
  @DisplayName(
      "entering 61 times within a minute: 60 times 200, then 429 with Retry-After; another user"
          + " enters the same room")
  void enters() {
    User alice = hub.newUser();
    String id = alice.createRoom("Revolving door", 10, null).getString("id");
    User mallory = hub.newUser();

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 61; i++) statuses.add(mallory.enter(id).status());

    assertThat(statuses.subList(0, 60)).containsOnly(200);
    assertThat(statuses.get(60)).isEqualTo(429);
    Reply refused = mallory.enter(id);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().getString("error")).containsIgnoringCase("enter");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
    assertThat(hub.newUser().enter(id).status()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "uploading 21 GIFs within a minute: 20 are stored, then 429 with Retry-After, refused before"
          + " the body is read (a body announced as too large is 429, not 413)")
  void uploads() {
    User alice = hub.newUser();
    String id = alice.createRoom("Pictures", 10, null).getString("id");

    for (int i = 0; i < 20; i++) assertThat(upload(alice, id).status()).isEqualTo(201);
    Reply refused = upload(alice, id);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().getString("error")).containsIgnoringCase("upload");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
    assertThat(
            alice.history(id).array().stream()
                .map(JsonObject.class::cast)
                .filter(m -> "gif".equals(m.getString("type"))))
        .hasSize(20);

    // 6 MiB: past the upload's size limit (413 at once from its Content-Length), but the rate
    // limit answers first
    byte[] huge = new byte[6 * 1024 * 1024];
    System.arraycopy(Multipart.TINY_GIF, 0, huge, 0, Multipart.TINY_GIF.length);
    assertThat(
            alice
                .upload("/api/rooms/" + id + "/gifs", "gif", "huge.gif", "image/gif", huge)
                .status())
        .isEqualTo(429);

    User bob = hub.newUser();
    assertThat(bob.enter(id).status()).isEqualTo(200);
    assertThat(upload(bob, id).status()).as("another user uploads").isEqualTo(201);
  }

  private static Reply upload(User who, String roomId) {
    return who.upload(
        "/api/rooms/" + roomId + "/gifs", "gif", "a.gif", "image/gif", Multipart.TINY_GIF);
  }
}
