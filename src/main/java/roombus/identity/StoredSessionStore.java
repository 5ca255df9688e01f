package roombus.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.ext.web.sstore.impl.SharedDataSessionImpl;
import roombus.Addresses;

import java.util.Base64;

/**
 * Web sessions kept by the store verticle (MongoDB), serialized as Vert.x serializes clustered
 * sessions. A visitor keeps their identity (and so their colour) and their room access across restarts
 * and on every node, and a network split of the cluster cannot lose or fork a session.
 */
public final class StoredSessionStore implements SessionStore {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);

  private Vertx vertx;
  private VertxContextPRNG random;

  public static StoredSessionStore create(Vertx vertx) {
    StoredSessionStore store = new StoredSessionStore();
    store.init(vertx, new JsonObject());
    return store;
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    this.vertx = vertx;
    this.random = VertxContextPRNG.current(vertx);
    return this;
  }

  @Override
  public long retryTimeout() {
    return 0;
  }

  @Override
  public Session createSession(long timeout) {
    return createSession(timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new SharedDataSessionImpl(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    return request(Addresses.STORE_SESSIONS_GET, new JsonObject().put("id", id)).map(found -> {
      String data = found.getString("data");
      if (data == null) return null;
      SharedDataSessionImpl session = new SharedDataSessionImpl(random);
      session.readFromBuffer(0, Buffer.buffer(Base64.getDecoder().decode(data)));
      return session;
    });
  }

  @Override
  public Future<Void> put(Session session) {
    Buffer serialized = Buffer.buffer();
    ((SharedDataSessionImpl) session).writeToBuffer(serialized);
    JsonObject body = new JsonObject()
        .put("id", session.id())
        .put("data", Base64.getEncoder().encodeToString(serialized.getBytes()))
        .put("expires", session.lastAccessed() + session.timeout());
    Future<Void> forgetOld = session.isRegenerated() && session.oldId() != null ? delete(session.oldId()) : Future.succeededFuture();
    return forgetOld.compose(v -> request(Addresses.STORE_SESSIONS_PUT, body)).mapEmpty();
  }

  @Override
  public Future<Void> delete(String id) {
    return request(Addresses.STORE_SESSIONS_DELETE, new JsonObject().put("id", id)).mapEmpty();
  }

  @Override
  public Future<Void> clear() {
    return request(Addresses.STORE_SESSIONS_CLEAR, new JsonObject()).mapEmpty();
  }

  @Override
  public Future<Integer> size() {
    return request(Addresses.STORE_SESSIONS_COUNT, new JsonObject()).map(count -> count.getInteger("count"));
  }

  @Override
  public void close() {
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, TIMEOUT).map(Message::body);
  }
}
