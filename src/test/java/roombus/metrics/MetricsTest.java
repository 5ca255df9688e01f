package roombus.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("GET /metrics")
class MetricsTest {

  @StartHub TestHub hub;

  @Test
  @DisplayName(
      "after some traffic the counters moved by exactly the traffic; gauges, store, event-loop and JVM meters are there")
  void countersFollowTraffic(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Metered").getString("id");
    bob.enter(id);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    String room = "chat.room." + id;
    aliceSocket.awaitMessage(
        room, m -> "join".equals(m.getString("type")) && bob.id().equals(m.getString("user")));
    eventually(() -> assertThat(value(scrape(), "roombus_users_present", "")).isEqualTo(2));
    String before = scrape();

    for (int i = 1; i <= 3; i++) {
      aliceSocket.send(
          new JsonObject()
              .put("type", "send")
              .put("address", room)
              .put("body", new JsonObject().put("chat", "bus " + i)));
    }
    assertThat(bob.say(id, "over http").status()).isEqualTo(201);
    assertThat(bob.say(id, "   ").status()).isEqualTo(400); // refused: no text
    aliceSocket.send(
        new JsonObject()
            .put("type", "register")
            .put("address", "not.for.clients")); // a refused frame
    bobSocket.awaitMessage(room, m -> "bus 3".equals(m.getString("chat")));
    aliceSocket.awaitMessage(room, m -> "over http".equals(m.getString("chat")));
    aliceSocket.awaitError("not.for.clients");

    eventually(
        () -> {
          String after = scrape();
          assertThat(delta(before, after, "roombus_messages_posted_total", "")).isEqualTo(5);
          assertThat(delta(before, after, "roombus_messages_stored_total", "")).isEqualTo(4);
          assertThat(delta(before, after, "roombus_messages_refused_total", "reason=\"invalid\""))
              .isEqualTo(1);
          assertThat(delta(before, after, "roombus_messages_delivered_total", ""))
              .isEqualTo(8); // 4 messages, 2 sockets
          assertThat(
                  delta(before, after, "roombus_bridge_refusals_total", "reason=\"access_denied\""))
              .isEqualTo(1);
          assertThat(delta(before, after, "roombus_store_append_seconds_count", ""))
              .isGreaterThanOrEqualTo(1);
          // a histogram: every batch falls at or under the +Inf bucket, and under 10 s
          assertThat(delta(before, after, "roombus_store_append_seconds_bucket", "le=\"+Inf\""))
              .isEqualTo(delta(before, after, "roombus_store_append_seconds_count", ""));
          assertThat(delta(before, after, "roombus_store_append_seconds_bucket", "le=\"10.0\""))
              .isEqualTo(delta(before, after, "roombus_store_append_seconds_count", ""));
          // every stored post of this node, timed from its arrival to its publication
          assertThat(delta(before, after, "roombus_post_stored_seconds_count", "")).isEqualTo(4);
          assertThat(delta(before, after, "roombus_post_stored_seconds_bucket", "le=\"+Inf\""))
              .isEqualTo(4);
        });
    String now = scrape();
    assertThat(value(now, "roombus_connections", "transport=\"websocket\"")).isEqualTo(2);
    assertThat(value(now, "roombus_connections", "transport=\"xhr-polling\"")).isZero();
    assertThat(now)
        .contains(
            "roombus_store_queue_depth ",
            "roombus_store_up 1.0",
            "roombus_event_loop_delay_seconds_count",
            "jvm_memory_used_bytes{",
            "jvm_gc_",
            "vertx_http_server_");
    eventually(() -> assertThat(value(scrape(), "roombus_rooms", "")).isEqualTo(1));

    aliceSocket.close();
    eventually(
        () ->
            assertThat(value(scrape(), "roombus_connections", "transport=\"websocket\""))
                .isEqualTo(1));
  }

  private String scrape() {
    TestHub.Reply reply = hub.newUser().get("/metrics");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("text/plain");
    return reply.text();
  }

  private static double delta(String before, String after, String name, String labels) {
    return value(after, name, labels) - value(before, name, labels);
  }

  /** The sum of the samples of {@code name} whose labels contain {@code labels}. */
  static double value(String text, String name, String labels) {
    Matcher line =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
    double sum = 0;
    while (line.find()) {
      if (labels.isEmpty() || (line.group(1) != null && line.group(1).contains(labels)))
        sum += Double.parseDouble(line.group(2));
    }
    return sum;
  }
}
