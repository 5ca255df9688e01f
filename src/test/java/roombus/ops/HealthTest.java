package roombus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.Hub;
import roombus.HubConfig;
import roombus.TestHub;
import roombus.TestHub.Reply;
import roombus.TestHub.User;
import roombus.embedded.EmbeddedMongo;

@DisplayName("GET /health/live and /health/ready")
class HealthTest {

  private static final Duration STORE_PATIENCE = Duration.ofSeconds(45);

  @Test
  @DisplayName(
      "ready is 503 naming the store until the store answers, 200 then, 503 while it is down, 200 when it is back; live is 200 throughout")
  void readinessFollowsTheStore() throws Exception {
    Path data = TestHub.newDataDir();
    int storePort = TestHub.freePort();
    int httpPort = TestHub.freePort();
    Map<String, String> env = new HashMap<>(TestHub.defaults(httpPort, data.resolve("node")));
    env.put("MONGO_URI", "mongodb://127.0.0.1:" + storePort);
    Future<Hub> starting = Hub.start(HubConfig.from(env)); // no store yet: the node waits for it
    EmbeddedMongo store = null;
    User visitor = User.anonymous(TestHub.base(httpPort));
    try {
      eventually(
          () -> {
            Reply ready = visitor.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(check(ready, "store").getString("status")).isEqualTo("DOWN");
            assertThat(check(ready, "verticles").getString("status")).isEqualTo("DOWN");
            assertThat(check(ready, "draining").getString("status")).isEqualTo("UP");
          });
      assertThat(visitor.get("/health/live").status()).isEqualTo(200);
      assertThat(visitor.get("/api/me").status()).isEqualTo(503); // the API waits for the node

      store = EmbeddedMongo.start(data.resolve("store"), "127.0.0.1", storePort);
      eventually(
          STORE_PATIENCE, () -> assertThat(visitor.get("/health/ready").status()).isEqualTo(200));
      assertThat(starting.isComplete()).isTrue();
      assertThat(User.arriving(TestHub.base(httpPort)).id()).isNotNull();

      store.close();
      eventually(
          STORE_PATIENCE,
          () -> {
            Reply ready = visitor.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(check(ready, "store").getString("status")).isEqualTo("DOWN");
            assertThat(check(ready, "verticles").getString("status")).isEqualTo("UP");
          });
      assertThat(visitor.get("/health/live").status()).isEqualTo(200);

      store = EmbeddedMongo.start(data.resolve("store"), "127.0.0.1", storePort);
      eventually(
          STORE_PATIENCE, () -> assertThat(visitor.get("/health/ready").status()).isEqualTo(200));
    } finally {
      TestHub.await(
          starting.compose(Hub::close).recover(err -> Future.succeededFuture()),
          Duration.ofSeconds(60));
      if (store != null) store.close();
      TestHub.deleteTree(data);
    }
  }

  static JsonObject check(Reply reply, String id) {
    return reply.json().getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check '" + id + "' in " + reply));
  }
}
