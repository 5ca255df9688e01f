package roombus.store;

import static roombus.store.Schema.SESSIONS;
import static roombus.store.Schema.byId;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * {@link SessionRepository} on MongoDB: collection {@code sessions}, expired ones swept every
 * minute.
 */
final class MongoSessionRepository implements SessionRepository {

  private final MongoClient mongo;

  MongoSessionRepository(Vertx vertx, MongoClient mongo) {
    this.mongo = mongo;
    vertx.setPeriodic(60_000, t -> forgetExpired(System.currentTimeMillis()));
  }

  @Override
  public Future<JsonObject> get(String id, long now) {
    JsonObject live = byId(id).put("expires", new JsonObject().put("$gt", now));
    return mongo
        .findOne(SESSIONS, live, new JsonObject().put("session", 1))
        .map(doc -> doc == null ? null : doc.getJsonObject("session"));
  }

  @Override
  public Future<Void> put(String id, JsonObject session, long expires) {
    return mongo
        .save(SESSIONS, byId(id).put("session", session).put("expires", expires))
        .mapEmpty();
  }

  @Override
  public Future<Void> delete(String id) {
    return mongo.removeDocument(SESSIONS, byId(id)).mapEmpty();
  }

  @Override
  public Future<Integer> count(long now) {
    return mongo
        .count(SESSIONS, new JsonObject().put("expires", new JsonObject().put("$gt", now)))
        .map(Long::intValue);
  }

  @Override
  public Future<Void> clear() {
    return mongo.removeDocuments(SESSIONS, new JsonObject()).mapEmpty();
  }

  private Future<Void> forgetExpired(long now) {
    return mongo
        .removeDocuments(
            SESSIONS, new JsonObject().put("expires", new JsonObject().put("$lte", now)))
        .mapEmpty();
  }
}
