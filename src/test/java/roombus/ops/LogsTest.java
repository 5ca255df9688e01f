package roombus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.HubConfig;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;

@DisplayName("Log lines: one per event, greppable, no secrets")
class LogsTest {

  private static final String TOKEN = "very-secret-admin-token-42";
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream original;

  @StartHub(settings = "ADMIN_TOKEN=" + TOKEN)
  TestHub hub;

  @BeforeEach
  void capture() {
    original = System.err;
    System.setErr(
        new PrintStream(
            captured,
            true,
            StandardCharsets.UTF_8)); // slf4j-simple writes to System.err as it is now
  }

  @AfterEach
  void release() {
    System.setErr(original);
  }

  @Test
  @DisplayName(
      "room created and deleted, refused posts and refused admin requests are logged with their reason; no password, token or message text")
  void events() throws Exception {
    User alice = hub.newUser();
    String id = alice.createRoom("Logged", 5, "room-password-77").getString("id");
    alice.say(id, "a secret message text");
    alice.say(id, "");
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(hub.base() + "/api/admin/overview"))
                .header("Authorization", "Bearer wrong-guess-99")
                .build(),
            HttpResponse.BodyHandlers.discarding());
    alice.delete("/api/rooms/" + id);

    eventually(
        () ->
            assertThat(log())
                .contains(
                    "event=room_created room=" + id,
                    "event=post_refused reason=invalid room=" + id,
                    "event=admin_refused reason=wrong_token",
                    "event=room_deleted room=" + id + " by=owner")
                .containsPattern("WARN .*event=post_refused"));
    assertThat(log())
        .doesNotContain(
            TOKEN, "wrong-guess-99", "room-password-77", "a secret message text", alice.sid());
  }

  @Test
  @DisplayName("the settings line masks the admin token and a MongoDB password")
  void settingsLine() {
    HubConfig config =
        HubConfig.from(
            java.util.Map.of(
                "ADMIN_TOKEN",
                TOKEN,
                "MONGO_URI",
                "mongodb://app:pa55word@db1:27017/?replicaSet=rs0"));
    assertThat(config.describe())
        .contains("adminToken=(set)", "mongoUri=mongodb://app:****@db1:27017/?replicaSet=rs0")
        .doesNotContain(TOKEN, "pa55word");
  }

  private String log() {
    return captured.toString(StandardCharsets.UTF_8);
  }
}
