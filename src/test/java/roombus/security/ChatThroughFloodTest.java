package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("Two users chat undisturbed while all of it happens at once")
class ChatThroughFloodTest {

  @Test
  @DisplayName(
      "dead websockets, unknown SockJS sessions, cookie-less requests, uploads of 1,000 parts and"
          + " register/unregister churn, all at once: every post of two chatting users is acknowledged, stored and delivered live")
  void chatThroughFlood(
      Vertx vertx,
      // the floods must reach the node: the limits on frames (register/unregister churn as fast as
      // the socket writes) and on one session's connections (20 dead websockets and the churning
      // one) would turn most of them away (FrameFloodTest, ConnectionLimitsTest)
      @StartHub(
              settings = {
                "PING_TIMEOUT_MS=1500",
                "FRAMES_PER_SECOND=100000",
                "CONNECTIONS_PER_SESSION=100"
              })
          TestHub hub)
      throws Exception {
    User mallory = hub.newUser();
    String hers = mallory.createRoom("Mallory's", 100, null).getString("id");
    ExecutorService attackers = Executors.newFixedThreadPool(5);
    List<DeadPeer> dead = Collections.synchronizedList(new ArrayList<>());
    try (Conversation others = Conversation.start(hub, vertx)) {
      List<CompletableFuture<?>> attacks =
          List.of(
              CompletableFuture.runAsync(
                  () -> {
                    for (int i = 0; i < 20; i++)
                      dead.add(
                          DeadPeer.rawWebSocket(hub.base(), mallory.sid(), "chat.room." + hers));
                  },
                  attackers),
              CompletableFuture.runAsync(
                  () ->
                      assertThat(
                              Flood.send(
                                  2_000,
                                  4,
                                  i ->
                                      Flood.request(
                                              hub.base()
                                                  + "/eventbus/"
                                                  + i % 1000
                                                  + "/"
                                                  + UUID.randomUUID()
                                                  + (i % 10 == 0 ? "x".repeat(500) : "")
                                                  + "/xhr")
                                          .GET()
                                          .build()))
                          .doesNotContainKeys(-1, 500),
                  attackers),
              CompletableFuture.runAsync(
                  () ->
                      assertThat(
                              Flood.send(
                                  2_000,
                                  4,
                                  i ->
                                      Flood.request(hub.base() + (i % 2 == 0 ? "/api/me" : "/"))
                                          .GET()
                                          .build()))
                          .containsOnlyKeys(200),
                  attackers),
              CompletableFuture.runAsync(
                  () -> {
                    String url = hub.base() + "/api/rooms/" + hers + "/gifs";
                    Map<Integer, Integer> statuses =
                        Flood.send(
                            20, 2, i -> Multipart.upload(url, mallory.sid(), 1_000, i % 2 == 0));
                    assertThat(statuses.keySet()).allMatch(status -> status >= 400 && status < 500);
                  },
                  attackers),
              CompletableFuture.runAsync(
                  () -> {
                    try (BridgeSocket fidget = mallory.connect(vertx)) {
                      for (int i = 0; i < 100; i++) {
                        fidget.register("chat.room." + hers);
                        fidget.unregister("chat.room." + hers);
                      }
                      fidget.sync();
                    }
                  },
                  attackers));

      CompletableFuture.allOf(attacks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      others.finish();
    } finally {
      attackers.shutdownNow();
      synchronized (dead) {
        dead.forEach(DeadPeer::close);
      }
    }
    TestHub.eventually(
        () ->
            assertThat(filesIn(hub.dataDir().resolve("uploads")))
                .as("temporary upload files")
                .isZero());
  }

  private static long filesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
