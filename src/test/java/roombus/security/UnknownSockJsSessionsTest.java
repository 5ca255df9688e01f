package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.await;
import static roombus.TestHub.eventually;

import io.vertx.core.shareddata.AsyncMap;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;

@DisplayName(
    "Requests for SockJS sessions nobody opened leave nothing behind; a session that did open is found while it lives")
class UnknownSockJsSessionsTest {

  private static final long MIB = 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_-";

  @StartHub(settings = "PING_TIMEOUT_MS=1500")
  private static TestHub hub;

  @Test
  @DisplayName(
      "10,000 polls and sends of unknown session ids, long or random, some opening sessions that never continue:"
          + " the cluster-wide owner map empties again and the heap grows by less than 5 MiB")
  void unknownSessionIds() {
    flood(500); // the hub's own first-use allocations (classes, pools, caches) are not what is
    // measured
    awaitNoSessions();
    long before = Flood.heapAfterGc();

    Map<Integer, Integer> statuses = flood(10_000);

    assertThat(statuses).as("every request answered").doesNotContainKey(-1).doesNotContainKey(500);
    awaitNoSessions();
    // a leak of 1 KiB a request would be 10 MiB here (the one this bound caught: the class loader's
    // memory of every name looked up on the class path, about the length of the made-up path)
    eventually(
        () ->
            assertThat((Flood.heapAfterGc() - before) / MIB)
                .as("heap growth in MiB")
                .isLessThan(5));
  }

  @Test
  @DisplayName(
      "a polling session that opened keeps its entry in the owner map while it lives (the other nodes"
          + " route its requests by it), and loses it when its client goes away")
  void openSessionKeepsItsOwner() {
    TestHub.User bob = hub.newUser();
    String session = randomId(16);
    String url = hub.base() + "/eventbus/123/" + session + "/";

    assertThat(
            Flood.send(
                1,
                1,
                i ->
                    Flood.request(url + "xhr")
                        .header("Cookie", "roombus.sid=" + bob.sid())
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build()))
        .containsOnlyKeys(200);
    // a send is answered once the hub is done with the opening request, its end included
    assertThat(
            Flood.send(
                1,
                1,
                i ->
                    Flood.request(url + "xhr_send")
                        .header("Content-Type", "text/plain")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "[\"{\\\"type\\\":\\\"ping\\\"}\"]"))
                        .build()))
        .containsOnlyKeys(204);

    assertThat(ownerOf(session)).as("the session's owner while it is open").isNotNull();
    eventually(
        () ->
            assertThat(ownerOf(session))
                .as("the session's owner after its client went away")
                .isNull());
  }

  private static String ownerOf(String session) {
    AsyncMap<String, String> owners =
        await(
            hub.vertx().sharedData().<String, String>getAsyncMap("roombus.sockjs.owners"),
            Duration.ofSeconds(5));
    return await(owners.get(session), Duration.ofSeconds(5));
  }

  /**
   * {@code count} requests: mostly {@code GET .../<id>/xhr} with ids from 1 to 2,000 characters (a
   * poll is a POST; nothing may be kept for these), one in twenty a {@code POST .../xhr} with a
   * fresh id of sockjs-client's length, which opens a session that its client then abandons, and
   * one in twenty an {@code xhr_send} to an id nobody opened.
   */
  private static Map<Integer, Integer> flood(int count) {
    String eventbus = hub.base() + "/eventbus/";
    return Flood.send(
        count,
        16,
        i -> {
          String server = String.valueOf(RANDOM.nextInt(1000));
          if (i % 20 == 0) {
            return Flood.request(eventbus + server + "/" + randomId(16) + "/xhr")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
          }
          if (i % 20 == 1) {
            return Flood.request(eventbus + server + "/" + randomId(16) + "/xhr_send")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("[\"{}\"]"))
                .build();
          }
          int length = i % 2 == 0 ? 1 + RANDOM.nextInt(64) : 65 + RANDOM.nextInt(2000 - 64);
          return Flood.request(eventbus + server + "/" + randomId(length) + "/xhr").GET().build();
        });
  }

  /**
   * Until every abandoned session timed out: nothing left in the owner map, nor in the node's own
   * list.
   */
  private static void awaitNoSessions() {
    AsyncMap<String, String> owners =
        await(
            hub.vertx().sharedData().<String, String>getAsyncMap("roombus.sockjs.owners"),
            Duration.ofSeconds(5));
    eventually(
        () -> {
          assertThat(await(owners.size(), Duration.ofSeconds(5)))
              .as("entries in roombus.sockjs.owners")
              .isZero();
          assertThat(hub.vertx().sharedData().getLocalMap("roombus.sockjs.open").size())
              .as("sessions open here")
              .isZero();
        });
  }

  private static String randomId(int length) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return id.toString();
  }
}
