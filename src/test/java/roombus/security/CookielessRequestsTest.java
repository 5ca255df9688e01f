package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;
import roombus.store.Stores;

@DisplayName(
    "A visitor who only looks around costs the store nothing; one who entered a room is remembered")
class CookielessRequestsTest {

  private static final long KIB = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  @StartHub private static TestHub hub;

  @Test
  @DisplayName(
      "10,000 requests without a cookie (or with a made-up one) to /api/me, /style.css and / store no session,"
          + " and the data file grows by less than 256 KiB")
  void cookielessRequestsStoreNothing() throws IOException {
    Path dataFile = hub.dataDir().resolve("roombus.mv");
    long sessionsBefore = storedSessions();
    long sizeBefore = Files.size(dataFile);
    String[] paths = {"/api/me", "/style.css", "/"};

    Map<Integer, Integer> statuses =
        Flood.send(
            10_000,
            16,
            i -> {
              var request = Flood.request(hub.base() + paths[i % paths.length]).GET();
              if (i % 4 == 3) request.header("Cookie", "roombus.sid=" + madeUpSessionId());
              return request.build();
            });

    assertThat(statuses).as("answers by status").containsOnlyKeys(200);
    assertThat(storedSessions()).as("sessions in the store").isEqualTo(sessionsBefore);
    assertThat((Files.size(dataFile) - sizeBefore) / KIB)
        .as("growth of roombus.mv in KiB")
        .isLessThan(256);
  }

  @Test
  @DisplayName(
      "with their cookie, a visitor keeps the same identity from request to request, though nothing is stored")
  void sameIdentityWithTheCookie() {
    User visitor = hub.newUser();

    JsonObject again = visitor.get("/api/me").json();
    JsonObject andAgain = visitor.get("/api/me").json();

    assertThat(again.getString("user")).isEqualTo(visitor.id());
    assertThat(again.getString("color")).isEqualTo(visitor.color());
    assertThat(andAgain).isEqualTo(again);
  }

  @Test
  @DisplayName(
      "once they entered a room, a visitor's session is stored and survives a restart of the hub: same identity, same room access")
  void enteredSessionSurvivesRestart(@StartHub TestHub restarting) {
    User alice = restarting.newUser();
    User bob = restarting.newUser();
    String id = alice.createRoom("Remember me").getString("id");
    assertThat(bob.enter(id).status()).isEqualTo(200);
    assertThat(bob.say(id, "before the restart").status()).isEqualTo(201);
    assertThat(storedSessions(restarting)).as("alice's and bob's sessions, stored").isEqualTo(2);

    restarting.restart();

    User bobAgain = bob.at(restarting.base());
    JsonObject me = bobAgain.get("/api/me").json();
    assertThat(me.getString("user")).isEqualTo(bob.id());
    assertThat(me.getString("color")).isEqualTo(bob.color());
    assertThat(bobAgain.history(id).status()).as("room access after the restart").isEqualTo(200);
    assertThat(bobAgain.say(id, "after the restart").status()).isEqualTo(201);
    assertThat(restarting.newUser().history(id).status())
        .as("a stranger still has no access")
        .isEqualTo(403);
  }

  private static long storedSessions() {
    return storedSessions(hub);
  }

  private static long storedSessions(TestHub of) {
    return await(
        Stores.of(of.vertx()).sessions().count(System.currentTimeMillis()), Duration.ofSeconds(10));
  }

  /** A cookie value shaped like the hub's session ids, which the hub never gave out. */
  private static String madeUpSessionId() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
