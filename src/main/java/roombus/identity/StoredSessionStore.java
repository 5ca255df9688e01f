package roombus.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.AbstractSession;
import io.vertx.ext.web.sstore.SessionStore;
import java.util.regex.Pattern;
import roombus.store.SessionRepository;
import roombus.store.Stores;

/**
 * Web sessions kept in the store ({@link SessionRepository}), as JSON documents, so that a visitor
 * keeps their identity (and so their colour) and their room access across restarts and on every
 * node, and a network split of the cluster cannot lose or fork a session. Built on vertx-web's
 * public {@link AbstractSession}.
 */
public final class StoredSessionStore implements SessionStore {

  /**
   * What this store's session ids look like (URL-safe base64 of random bytes); anything else is
   * refused.
   */
  private static final Pattern WELL_FORMED_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

  /** How long a session lives without being used. */
  public static final long DEFAULT_TIMEOUT = 24L * 3600 * 1000;

  private VertxContextPRNG random;
  private SessionRepository sessions;

  public static StoredSessionStore create(Vertx vertx) {
    StoredSessionStore store = new StoredSessionStore();
    store.init(vertx, new JsonObject());
    return store;
  }

  /** Over another repository than the node's store (tests). */
  static StoredSessionStore over(Vertx vertx, SessionRepository sessions) {
    return new StoredSessionStore().bind(vertx, sessions);
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    return bind(vertx, Stores.of(vertx).sessions());
  }

  private StoredSessionStore bind(Vertx vertx, SessionRepository sessions) {
    this.random = VertxContextPRNG.current(vertx);
    this.sessions = sessions;
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
    return new StoredSession(random, timeout, length);
  }

  /**
   * The stored session; for a well-formed id that was never stored (a visitor who has only looked
   * around: nothing of theirs was worth keeping) an empty session with that same id, so that their
   * identity, which is derived from the id, stays theirs until they do something worth storing.
   */
  @Override
  public Future<Session> get(String id) {
    return sessions
        .get(id, System.currentTimeMillis())
        .map(
            json -> {
              if (json != null) return StoredSession.fromJson(random, id, json);
              return WELL_FORMED_ID.matcher(id).matches()
                  ? StoredSession.fresh(random, id, DEFAULT_TIMEOUT)
                  : null;
            });
  }

  /**
   * Stores a session once it holds something worth keeping (room access, a bridge token): a visitor
   * who only looks around costs the store nothing, whatever number of cookie-less requests arrive.
   * vertx-web hands every used session back after each request; one whose data is what the store
   * already holds is written only to push its expiry on, at most once per {@link #touchEvery}.
   */
  @Override
  public Future<Void> put(Session session) {
    if (session.isEmpty()) return Future.succeededFuture();
    StoredSession stored = (StoredSession) session;
    if (!session.isRegenerated() && stored.unchangedSince(touchEvery(session.timeout()))) {
      return Future.succeededFuture();
    }
    Future<Void> forgetOld =
        session.isRegenerated() && session.oldId() != null
            ? delete(session.oldId())
            : Future.succeededFuture();
    JsonObject json = stored.toJson();
    return forgetOld
        .compose(v -> sessions.put(session.id(), json, session.lastAccessed() + session.timeout()))
        .onSuccess(v -> stored.storedAs(json));
  }

  /**
   * How long an unchanged session goes without being written again: a twenty-fourth of its
   * lifetime, at most an hour (a day's session always has 23 hours or more left in the store).
   */
  static long touchEvery(long timeout) {
    return Math.min(timeout / 24, 3_600_000L);
  }

  @Override
  public Future<Void> delete(String id) {
    return sessions.delete(id);
  }

  @Override
  public Future<Void> clear() {
    return sessions.clear();
  }

  @Override
  public Future<Integer> size() {
    return sessions.count(System.currentTimeMillis());
  }

  @Override
  public void close() {}

  /** A session whose data is JSON (roombus keeps only strings in it). */
  static final class StoredSession extends AbstractSession {

    /** The data as the store holds it, and when it was last accessed then; null if never stored. */
    private JsonObject storedData;

    private long storedAccess;

    StoredSession(VertxContextPRNG random, long timeout, int length) {
      super(random, timeout, length);
    }

    private StoredSession(VertxContextPRNG random) {
      super(random);
    }

    /** The store holds {@code json} for this session now (a copy: the session's data lives on). */
    void storedAs(JsonObject json) {
      storedData = json.getJsonObject("data", new JsonObject()).copy();
      storedAccess = json.getLong("lastAccessed");
    }

    /** Whether the store holds this data already, accessed no longer than {@code touch} ago. */
    boolean unchangedSince(long touch) {
      return storedData != null
          && lastAccessed() - storedAccess < touch
          && storedData.equals(new JsonObject(data()));
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("data", new JsonObject(data()))
          .put("lastAccessed", lastAccessed())
          .put("timeout", timeout())
          .put("version", version());
    }

    static StoredSession fresh(VertxContextPRNG random, String id, long timeout) {
      StoredSession session = new StoredSession(random);
      session.setId(id);
      session.setTimeout(timeout);
      session.setLastAccessed(System.currentTimeMillis());
      return session;
    }

    static StoredSession fromJson(VertxContextPRNG random, String id, JsonObject json) {
      StoredSession session = new StoredSession(random);
      session.setId(id);
      session.setData(json.getJsonObject("data", new JsonObject()));
      session.setTimeout(json.getLong("timeout", 0L));
      session.setLastAccessed(json.getLong("lastAccessed", 0L));
      session.setVersion(json.getInteger("version", 0));
      session.storedAs(json);
      return session;
    }
  }
}
