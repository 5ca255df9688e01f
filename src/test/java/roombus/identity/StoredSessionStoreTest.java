package roombus.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.store.SessionRepository;

@ExtendWith(VertxExtension.class)
@DisplayName("A web session is written to the store when it changed, or now and then to stay alive")
class StoredSessionStoreTest {

  /** The sessions as a store would hold them, and every write that reached it. */
  private static final class Recorded implements SessionRepository {
    final Map<String, JsonObject> held = new HashMap<>();
    final List<JsonObject> writes = new ArrayList<>();

    @Override
    public Future<JsonObject> get(String id, long now) {
      JsonObject session = held.get(id);
      return Future.succeededFuture(session == null ? null : session.copy());
    }

    @Override
    public Future<Void> put(String id, JsonObject session, long expires) {
      JsonObject copy = session.copy();
      held.put(id, copy);
      writes.add(copy);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> delete(String id) {
      held.remove(id);
      return Future.succeededFuture();
    }

    @Override
    public Future<Integer> count(long now) {
      return Future.succeededFuture(held.size());
    }

    @Override
    public Future<Void> clear() {
      held.clear();
      return Future.succeededFuture();
    }
  }

  private Recorded repository;
  private StoredSessionStore store;

  @BeforeEach
  void setUp(Vertx vertx) {
    repository = new Recorded();
    store = StoredSessionStore.over(vertx, repository);
  }

  /** What vertx-web does at the end of every request that used the session. */
  private void requestEnds(Session session) {
    session.setAccessed();
    store.put(session).await();
  }

  private Session load(String id) {
    return store.get(id).await();
  }

  /** A session given access to room r1 and stored: one write. */
  private Session storedWithRoom(long timeout) {
    Session created = store.createSession(timeout);
    created.put("room:r1", "granted");
    requestEnds(created);
    return created;
  }

  @Test
  @DisplayName("a request that only reads the session writes nothing")
  void unchangedIsNotWritten() {
    Session created = storedWithRoom(StoredSessionStore.DEFAULT_TIMEOUT);

    Session next = load(created.id());
    assertThat(next.<String>get("room:r1")).isEqualTo("granted");
    requestEnds(next);
    requestEnds(load(created.id()));

    assertThat(repository.writes).hasSize(1);
  }

  @Test
  @DisplayName("a change made to a loaded session is written, and what was written is read back")
  void changeIsWritten() {
    Session created = storedWithRoom(StoredSessionStore.DEFAULT_TIMEOUT);

    Session next = load(created.id());
    next.put("room:r2", "granted");
    requestEnds(next);
    requestEnds(next); // the same object again, unchanged since

    assertThat(repository.writes).hasSize(2);
    Session reread = load(created.id());
    assertThat(reread.<String>get("room:r1")).isEqualTo("granted");
    assertThat(reread.<String>get("room:r2")).isEqualTo("granted");
  }

  @Test
  @DisplayName("an unchanged session used after a while is written again, so it does not expire")
  void touchedAfterAWhile() throws InterruptedException {
    long timeout = 2_400; // written again after 100 ms
    assertThat(StoredSessionStore.touchEvery(timeout)).isEqualTo(100);
    Session created = storedWithRoom(timeout);

    Thread.sleep(150);
    requestEnds(load(created.id()));

    assertThat(repository.writes).hasSize(2);
    assertThat(repository.writes.get(1).getLong("lastAccessed"))
        .isGreaterThan(repository.writes.get(0).getLong("lastAccessed"));
  }

  @Test
  @DisplayName("a visitor who stored nothing costs the store nothing")
  void emptyIsNotWritten() {
    requestEnds(store.createSession(StoredSessionStore.DEFAULT_TIMEOUT));

    assertThat(repository.writes).isEmpty();
  }
}
