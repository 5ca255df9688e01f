package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.GridFsUploadOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoGridFsClient;
import io.vertx.ext.mongo.UpdateOptions;
import roombus.chat.ChatMessage;
import roombus.common.ApiError;
import roombus.room.Room;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collector;

/**
 * All MongoDB work of the hub, through {@code vertx-mongo-client} only. Decisions that must hold across
 * nodes (who is admitted to a room, who owns it, which node deletes an empty room) are single-document
 * atomic updates here, so they stay right whatever the cluster does; message numbers are unique by the
 * store's unique key (see {@link RoomNumbers}).
 */
public final class MongoStore {

  static final String ROOMS = "rooms";
  static final String CHATS = "chats";
  static final String PRESENCE = "presence";
  static final String RESERVATIONS = "reservations";
  static final String SESSIONS = "sessions";
  static final String GIF_BUCKET = "gifs";
  /** How many messages one query of a room deletion covers. */
  private static final int PURGE_CHUNK = 1000;
  /**
   * Overload: at most this many messages wait to be stored; beyond, a post is refused at once (503)
   * rather than queued without limit. One that waited {@link #MAX_WAIT_NANOS} is refused, not stored
   * late (its sender's request times out after 15 s; it must not be stored after being told it failed).
   */
  static final int MAX_QUEUED = 20_000;
  private static final long MAX_WAIT_NANOS = 5_000_000_000L;
  private static final ApiError BUSY = new ApiError(503, "The hub is busy: the message was not stored, try again");
  /** The most messages one append batch stores. */
  static final int MAX_BATCH = 1000;
  private static final ApiError REMOVED = ApiError.forbidden("The owner removed you from this room");
  private static final int DUPLICATE_KEY = 11000;
  /**
   * Linger: when a message arrives within {@link #BUSY_GAP_NANOS} of the previous batch's end, the next
   * batch starts {@code LINGER_MS} later, so that it holds all that arrive meanwhile. Each batch is one
   * insert command and one commit of the embedded store, whose fixed cost is most of a small batch's;
   * at 1,000 messages/s in rooms of 10 this cut the node's CPU per delivery by a quarter (65 → 49 µs)
   * for 1 ms more latency. A message after a quiet spell is stored at once.
   */
  private static final long LINGER_MS = 1;
  private static final long BUSY_GAP_NANOS = 5_000_000;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final MongoGridFsClient gifs;
  private final RoomNumbers numbers;
  /** Messages waiting for the next append batch; touched only on the store verticle's event loop. */
  private final ArrayDeque<PendingAppend> appendQueue = new ArrayDeque<>();
  private boolean appending;
  private long lastBatchDone = System.nanoTime() - BUSY_GAP_NANOS;

  private MongoStore(Vertx vertx, MongoClient mongo, MongoGridFsClient gifs) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.gifs = gifs;
    this.numbers = new RoomNumbers(vertx, mongo);
  }

  public static Future<MongoStore> open(Vertx vertx, String connectionString) {
    JsonObject config = new JsonObject()
        .put("connection_string", connectionString)
        .put("db_name", roombus.HubConfig.DATABASE)
        // acknowledged means on disk (journaled) when a real MongoDB is used
        .put("writeConcern", "JOURNALED")
        .put("serverSelectionTimeoutMS", 10_000);
    MongoClient mongo = MongoClient.create(vertx, config);
    return ensureIndexes(mongo)
        .compose(v -> mongo.createGridFsBucketService(GIF_BUCKET))
        .map(gifs -> new MongoStore(vertx, mongo, gifs));
  }

  private static Future<Void> ensureIndexes(MongoClient mongo) {
    return Future.all(List.of(
        // "room|seq", unique: no number is stored twice in a room, and history pages and deletions look
        // messages up by these exact keys, which the embedded store answers from its index (it scans the
        // whole collection for any other query). It replaces the (room, seq) index of earlier versions:
        // every index costs each insert on the embedded store.
        mongo.createIndexWithOptions(CHATS, new JsonObject().put(ChatMessage.KEY, 1),
            new IndexOptions().unique(true).sparse(true).name("chat_key")),
        mongo.createIndexWithOptions(ROOMS, new JsonObject().put("count", 1).put("deleteAfter", 1),
            new IndexOptions().name("empty_rooms")),
        mongo.createIndexWithOptions(PRESENCE, new JsonObject().put("room", 1).put("user", 1),
            new IndexOptions().name("room_user")),
        mongo.createIndexWithOptions(PRESENCE, new JsonObject().put("node", 1),
            new IndexOptions().name("node"))
    )).mapEmpty();
  }

  public Future<Void> close() {
    return numbers.save().recover(err -> Future.succeededFuture()).compose(v -> mongo.close());
  }

  // ---- rooms ----------------------------------------------------------------------------------

  public Future<Room> createRoom(Room room, long deleteAfter) {
    return mongo.insert(ROOMS, room.toNewDocument(deleteAfter)).map(id -> room);
  }

  public Future<Room> room(String id) {
    return mongo.findOne(ROOMS, byId(id), null)
        .map(doc -> {
          if (doc == null) throw ApiError.notFound("No such room");
          return Room.fromDocument(doc);
        });
  }

  public Future<List<Room>> rooms() {
    FindOptions options = new FindOptions().setSort(new JsonObject().put("createdAt", 1))
        .setFields(new JsonObject().put("members", 0).put("present", 0).put("banned", 0));
    return mongo.findWithOptions(ROOMS, new JsonObject(), options)
        .map(docs -> docs.stream().map(Room::fromDocument).toList());
  }

  /** Deletes a room at its owner's request: 404 when there is no such room, 403 for anybody else. */
  public Future<Room> deleteOwnedRoom(String id, String user) {
    return room(id).compose(room -> {
      if (!room.owner().equals(user)) return Future.failedFuture(ApiError.forbidden("Only the owner can delete this room"));
      return mongo.findOneAndDelete(ROOMS, byId(id).put("owner", user))
          .compose(doc -> doc == null
              ? Future.failedFuture(ApiError.notFound("No such room"))
              : purgeRoomData(id, doc.getLong("seq", 0L)).map(room));
    });
  }

  /**
   * Deletes the rooms that have been empty past their deadline. The delete is conditional on the room
   * being still empty with the same deadline, so on many nodes each room is deleted exactly once.
   * Answers the ids this call deleted.
   */
  public Future<List<String>> sweepEmptyRooms(long now) {
    JsonObject due = new JsonObject().put("count", 0).put("deleteAfter", new JsonObject().put("$lte", now));
    return mongo.findWithOptions(ROOMS, due, new FindOptions().setFields(new JsonObject().put("deleteAfter", 1).put("seq", 1)).setLimit(100))
        .compose(docs -> Future.all(docs.stream().map(doc ->
            mongo.removeDocument(ROOMS, byId(doc.getString("_id")).put("count", 0).put("deleteAfter", doc.getValue("deleteAfter")))
                .compose(res -> res != null && res.getRemovedCount() == 1
                    ? purgeRoomData(doc.getString("_id"), doc.getLong("seq", 0L)).map(doc.getString("_id"))
                    : Future.succeededFuture((String) null)))
            .toList()))
        .map(all -> all.<String>list().stream().filter(java.util.Objects::nonNull).toList());
  }

  /**
   * Deletes a deleted room's messages (numbered 1 to the newest stored, which may be past the room
   * document's {@code savedSeq}), their GIFs, and its presence and reservations. Messages are found by their keys, a chunk at a time, so the cost follows the size of
   * this room's history, not of all rooms'. Messages stored without a key (by an older hub) are found by
   * a query on the room instead, which the embedded store answers by scanning the collection.
   */
  private Future<Void> purgeRoomData(String roomId, long savedSeq) {
    numbers.forget(roomId);
    return numbers.lastStored(roomId, savedSeq).compose(lastSeq -> purgeRoomMessages(roomId, lastSeq));
  }

  private Future<Void> purgeRoomMessages(String roomId, long lastSeq) {
    JsonObject ofRoom = new JsonObject().put("room", roomId);
    Future<Long> removed = Future.succeededFuture(0L);
    for (long from = 1; from <= lastSeq; from += PURGE_CHUNK) {
      JsonObject chunk = keysOf(roomId, from, Math.min(lastSeq, from + PURGE_CHUNK - 1));
      removed = removed.compose(sum -> mongo.find(CHATS, chunk)
          .compose(this::deleteGifsOf)
          .compose(v -> mongo.removeDocuments(CHATS, chunk))
          .map(res -> sum + (res == null ? 0 : res.getRemovedCount())));
    }
    return removed
        .compose(count -> count >= lastSeq ? Future.succeededFuture() : mongo.find(CHATS, ofRoom.copy())
            .compose(this::deleteGifsOf)
            .compose(v -> mongo.removeDocuments(CHATS, ofRoom.copy())).mapEmpty())
        .compose(v -> mongo.removeDocuments(PRESENCE, ofRoom))
        .compose(v -> mongo.removeDocuments(RESERVATIONS, ofRoom))
        .mapEmpty();
  }

  private Future<Void> deleteGifsOf(List<JsonObject> messages) {
    return Future.all(messages.stream()
            .filter(doc -> ChatMessage.GIF.equals(doc.getString("type")) && doc.getString("gif") != null)
            .map(doc -> gifs.delete(doc.getString("gif")).recover(err -> Future.succeededFuture()))
            .toList())
        .mapEmpty();
  }

  /** The query for a room's messages {@code from} to {@code to} by their keys. */
  static JsonObject keysOf(String roomId, long from, long to) {
    JsonArray keys = new JsonArray();
    for (long seq = from; seq <= to; seq++) keys.add(ChatMessage.key(roomId, seq));
    return new JsonObject().put(ChatMessage.KEY, new JsonObject().put("$in", keys));
  }

  // ---- seats, presence and admission ----------------------------------------------------------
  //
  // A room document holds `members` (users holding a seat: capacity counts these, `count` and `free`
  // follow them) and `present` (members with at least one live connection). Entering over HTTP takes a
  // seat, held for a while by a reservation; a connection registering on the room takes a seat too (if
  // it has none) and makes its user present. Each step is one atomic single-document update, so
  // admission stays exact with any number of nodes racing, and a network split of the cluster cannot
  // let more people in than the room holds.

  /**
   * Takes a seat for {@code user}, or confirms the one they hold. Answers {@code {status:
   * "member"|"seated", count}}; fails 404 (no room), 403 (removed by the owner) or 409 (full).
   */
  public Future<JsonObject> takeSeat(String roomId, String user) {
    JsonObject notBanned = new JsonObject().put("$ne", user);
    return mongo.findOneAndUpdateWithOptions(ROOMS,
            byId(roomId).put("members", user).put("banned", notBanned),
            new JsonObject().put("$set", new JsonObject().putNull("deleteAfter")),
            new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .compose(doc -> {
          if (doc != null) return Future.succeededFuture(admission("member", doc));
          JsonObject hasRoom = byId(roomId)
              .put("members", new JsonObject().put("$ne", user))
              .put("banned", notBanned)
              .put("free", new JsonObject().put("$gt", 0));
          JsonObject sit = new JsonObject()
              .put("$push", new JsonObject().put("members", user))
              .put("$inc", new JsonObject().put("count", 1).put("free", -1))
              .put("$set", new JsonObject().putNull("deleteAfter"));
          return mongo.findOneAndUpdateWithOptions(ROOMS, hasRoom, sit, new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
              .compose(seated -> seated != null
                  ? Future.succeededFuture(admission("seated", seated))
                  : whyRefused(roomId, user));
        });
  }

  /**
   * Entering over HTTP: takes a seat and holds it until {@code holdUntil} even if no connection of the
   * user arrives (then {@link #releaseUnusedSeats} gives it back).
   */
  public Future<JsonObject> reserve(String roomId, String user, long holdUntil) {
    return takeSeat(roomId, user).compose(seat -> mongo.save(RESERVATIONS, new JsonObject()
            .put("_id", roomId + "|" + user).put("room", roomId).put("user", user).put("expires", holdUntil))
        .map(seat));
  }

  /**
   * A connection of {@code user} on {@code node} joins the room: recorded as presence, seated if need
   * be, and marked present. Answers {@code {status, count, first}} where {@code first} says the user was
   * not present before (announce them); fails like {@link #takeSeat}.
   */
  public Future<JsonObject> admit(String roomId, String user, String color, String node) {
    String presenceId = roomId + "|" + user + "|" + node;
    JsonObject presence = new JsonObject().put("_id", presenceId)
        .put("room", roomId).put("user", user).put("color", color).put("node", node);
    return mongo.save(PRESENCE, presence)
        .compose(v -> takeSeat(roomId, user))
        .compose(seat -> mongo.findOneAndUpdateWithOptions(ROOMS, byId(roomId).put("members", user),
                new JsonObject().put("$addToSet", new JsonObject().put("present", user))
                    .put("$set", new JsonObject().put("colors." + user, color)),
                new FindOptions().setFields(new JsonObject().put("present", 1)), new UpdateOptions())
            .compose(before -> {
              if (before == null) return whyRefused(roomId, user); // removed or deleted meanwhile
              boolean first = !before.getJsonArray("present", new JsonArray()).contains(user);
              return Future.succeededFuture(seat.put("first", first));
            }))
        .compose(admitted -> mongo.removeDocument(RESERVATIONS, byId(roomId + "|" + user)).map(admitted))
        .recover(err -> mongo.removeDocument(PRESENCE, byId(presenceId))
            .transform(ignored -> Future.failedFuture(err)));
  }

  private Future<JsonObject> whyRefused(String roomId, String user) {
    return mongo.findOne(ROOMS, byId(roomId), new JsonObject().put("members", 1).put("count", 1).put("banned", 1))
        .compose(doc -> {
          if (doc == null) return Future.failedFuture(ApiError.notFound("No such room"));
          if (doc.getJsonArray("banned", new JsonArray()).contains(user)) return Future.failedFuture(REMOVED);
          if (doc.getJsonArray("members", new JsonArray()).contains(user)) {
            return Future.succeededFuture(admission("member", doc)); // raced with the user's other tab
          }
          return Future.failedFuture(ApiError.conflict("The room is full"));
        });
  }

  private static JsonObject admission(String status, JsonObject room) {
    return new JsonObject().put("status", status).put("count", room.getInteger("count", 0));
  }

  /**
   * Takes a user's connection on a node out of a room. The user leaves the room (and gives up their
   * seat) when no node holds a connection of theirs any more; the room then gets its deletion deadline
   * if it is now empty. Answers {@code {left: boolean, count}}.
   */
  public Future<JsonObject> depart(String roomId, String user, String node, long deleteAfter) {
    return mongo.removeDocument(PRESENCE, byId(roomId + "|" + user + "|" + node))
        .compose(v -> mongo.count(PRESENCE, new JsonObject().put("room", roomId).put("user", user)))
        .compose(remaining -> remaining > 0
            ? Future.succeededFuture(new JsonObject().put("left", false))
            : giveUpSeat(roomId, byId(roomId).put("present", user), user, deleteAfter));
  }

  /** Frees the user's seat if the room matches {@code filter}; answers {@code {left, count}}. */
  private Future<JsonObject> giveUpSeat(String roomId, JsonObject filter, String user, long deleteAfter) {
    JsonObject leave = new JsonObject()
        .put("$pull", new JsonObject().put("members", user).put("present", user))
        .put("$inc", new JsonObject().put("count", -1).put("free", 1));
    return mongo.findOneAndUpdateWithOptions(ROOMS, filter.put("members", user), leave,
            new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .compose(doc -> {
          if (doc == null) return Future.succeededFuture(new JsonObject().put("left", false));
          int count = doc.getInteger("count", 0);
          JsonObject left = new JsonObject().put("left", true).put("count", count).put("room", roomId);
          if (count > 0) return Future.succeededFuture(left);
          return mongo.updateCollection(ROOMS, byId(roomId).put("count", 0),
                  new JsonObject().put("$set", new JsonObject().put("deleteAfter", deleteAfter)))
              .map(left);
        });
  }

  /**
   * Gives back the seats taken by entering over HTTP whose users never connected before the hold ran
   * out. Answers {@code {room, count}} for each room whose occupancy changed.
   */
  public Future<List<JsonObject>> releaseUnusedSeats(long now, long deleteAfter) {
    JsonObject due = new JsonObject().put("expires", new JsonObject().put("$lte", now));
    return mongo.findWithOptions(RESERVATIONS, due, new FindOptions().setLimit(500))
        .compose(expired -> Future.all(expired.stream().map(r -> {
          String roomId = r.getString("room");
          String user = r.getString("user");
          return mongo.removeDocument(RESERVATIONS, byId(r.getString("_id")).put("expires", r.getValue("expires")))
              .compose(removed -> removed == null || removed.getRemovedCount() == 0
                  ? Future.succeededFuture(new JsonObject().put("left", false))
                  : giveUpSeat(roomId, byId(roomId).put("present", new JsonObject().put("$ne", user)), user, deleteAfter));
        }).toList()))
        .map(all -> all.<JsonObject>list().stream().filter(r -> r.getBoolean("left")).toList());
  }

  /**
   * The users in a room with their colours, in order of arrival: from the room document alone (one
   * lookup by id), or, for users admitted by an older hub that did not record their colour there, from
   * the presence collection.
   */
  public Future<JsonArray> participants(String roomId) {
    return mongo.findOne(ROOMS, byId(roomId), new JsonObject().put("present", 1).put("colors", 1))
        .compose(room -> {
          if (room == null) return Future.failedFuture(ApiError.notFound("No such room"));
          JsonArray members = room.getJsonArray("present", new JsonArray());
          JsonObject known = room.getJsonObject("colors", new JsonObject());
          boolean complete = members.stream().allMatch(u -> known.getValue((String) u) instanceof String);
          Future<JsonObject> colors = complete ? Future.succeededFuture(known)
              : mongo.find(PRESENCE, new JsonObject().put("room", roomId)).map(presence -> {
                JsonObject all = known.copy();
                presence.forEach(p -> all.put(p.getString("user"), p.getString("color")));
                return all;
              });
          return colors.map(c -> {
            JsonArray out = new JsonArray();
            members.forEach(u -> out.add(new JsonObject().put("user", u).put("color", c.getString((String) u))));
            return out;
          });
        });
  }

  /**
   * Presence held by nodes that are gone (killed, or this node before a restart). Answers the
   * {@code (room, user, node)} entries found, so the caller can take each user out as if they left.
   */
  public Future<List<JsonObject>> presenceOutside(List<String> liveNodes) {
    JsonObject query = new JsonObject().put("node", new JsonObject().put("$nin", new JsonArray(liveNodes)));
    return mongo.find(PRESENCE, query);
  }

  // ---- chats ----------------------------------------------------------------------------------

  /**
   * Stores a message: it gets the room's next {@code seq} ({@link RoomNumbers}) and is inserted; the
   * future completes once the store has acknowledged the insert (journaled on MongoDB, committed to the
   * file on the embedded store). Fails 404 when the room is gone, 403 when its author was removed from
   * the room.
   *
   * <p>Appends are batched: while one batch is being stored, new appends queue up, and the next batch
   * takes them all (at most {@link #MAX_BATCH}) into one insert command, numbered in arrival order. A
   * quiet hub stores each message at once (a batch of one). The queue is bounded: see {@link #MAX_QUEUED}.
   * A message whose number another node took meanwhile (its key is refused as a duplicate) goes back to
   * the front of the queue and is numbered again from what the store holds.
   */
  public Future<ChatMessage> append(ChatMessage message) {
    if (appendQueue.size() >= MAX_QUEUED) return Future.failedFuture(BUSY);
    Promise<ChatMessage> stored = Promise.promise();
    appendQueue.add(new PendingAppend(message, stored, System.nanoTime()));
    if (!appending) {
      if (System.nanoTime() - lastBatchDone < BUSY_GAP_NANOS) {
        // messages are streaming in: wait a moment so that this batch carries more than one
        appending = true;
        vertx.setTimer(LINGER_MS, t -> nextBatch());
      } else {
        nextBatch();
      }
    }
    return stored.future();
  }

  private void nextBatch() {
    if (appendQueue.isEmpty()) {
      appending = false;
      return;
    }
    appending = true;
    List<PendingAppend> batch = new ArrayList<>(Math.min(appendQueue.size(), MAX_BATCH));
    long stale = System.nanoTime() - MAX_WAIT_NANOS;
    while (!appendQueue.isEmpty() && batch.size() < MAX_BATCH) {
      PendingAppend next = appendQueue.poll();
      // waited so long that its sender has been (or is about to be) told it failed: never store it later
      if (next.queuedAt - stale < 0) next.promise.fail(BUSY);
      else batch.add(next);
    }
    if (batch.isEmpty()) {
      nextBatch();
      return;
    }
    storeBatch(batch).onComplete(done -> {
      lastBatchDone = System.nanoTime();
      nextBatch();
    });
  }

  private Future<Void> storeBatch(List<PendingAppend> batch) {
    Map<String, List<PendingAppend>> byRoom = new LinkedHashMap<>();
    for (PendingAppend p : batch) byRoom.computeIfAbsent(p.message.room(), r -> new ArrayList<>()).add(p);
    List<Future<List<Numbered>>> numbering = new ArrayList<>(byRoom.size());
    byRoom.forEach((room, group) -> numbering.add(number(room, group)));
    return Future.join(numbering).compose(ignored -> {
      List<Numbered> ready = new ArrayList<>(batch.size());
      for (Future<List<Numbered>> f : numbering) ready.addAll(f.result());
      if (ready.isEmpty()) return Future.succeededFuture();
      List<BulkOperation> inserts = new ArrayList<>(ready.size());
      for (Numbered n : ready) inserts.add(BulkOperation.createInsert(n.stored.toDocument()));
      return mongo.bulkWrite(CHATS, inserts).transform(written -> {
        settle(ready, written.failed() ? written.cause() : null);
        return Future.succeededFuture();
      });
    });
  }

  /**
   * Answers the messages of an insert command. The command is ordered: it stops at the first message it
   * refuses. When that refusal is a duplicate key (another node numbered that room too), the messages
   * before it are stored, and it and all after it go back to the front of the queue, in order, to be
   * numbered again (so each sender's messages keep their order); the rooms they belong to reload their
   * counters from the store. Any other failure fails every message of the command.
   */
  private void settle(List<Numbered> inserted, Throwable failure) {
    int refusedFrom = failure == null ? inserted.size() : firstDuplicate(failure);
    List<PendingAppend> again = new ArrayList<>();
    for (int i = 0; i < inserted.size(); i++) {
      Numbered n = inserted.get(i);
      if (i < refusedFrom) {
        numbers.stored(n.stored.room(), n.stored.seq());
        n.pending.promise.complete(n.stored);
        continue;
      }
      numbers.reload(n.stored.room());
      if (refusedFrom >= 0) again.add(n.pending);
      else n.pending.promise.fail(failure);
    }
    for (int i = again.size() - 1; i >= 0; i--) appendQueue.addFirst(again.get(i));
  }

  /** The position of the message an ordered insert stopped at because its key was taken; -1 for any other failure. */
  private static int firstDuplicate(Throwable failure) {
    if (!(failure instanceof com.mongodb.MongoBulkWriteException bulk) || bulk.getWriteConcernError() != null
        || bulk.getWriteErrors().size() != 1 || bulk.getWriteErrors().get(0).getCode() != DUPLICATE_KEY) {
      return -1;
    }
    return bulk.getWriteErrors().get(0).getIndex();
  }

  /**
   * Numbers a room's messages of a batch, in order; messages that may not be posted (the room is gone,
   * or their author was removed from it) are answered here and left out.
   */
  private Future<List<Numbered>> number(String roomId, List<PendingAppend> group) {
    return numbers.counter(roomId).transform(counter -> {
      List<Numbered> numbered = new ArrayList<>(group.size());
      for (PendingAppend p : group) {
        String type = p.message.type();
        boolean authored = ChatMessage.CHAT.equals(type) || ChatMessage.GIF.equals(type); // notices are the hub's own
        if (counter.failed()) p.promise.fail(counter.cause());
        else if (authored && counter.result().removed(p.message.user())) p.promise.fail(REMOVED);
        else numbered.add(new Numbered(p, p.message.withSeq(counter.result().next())));
      }
      return Future.succeededFuture(numbered);
    });
  }

  private record PendingAppend(ChatMessage message, Promise<ChatMessage> promise, long queuedAt) {
  }

  private record Numbered(PendingAppend pending, ChatMessage stored) {
  }

  /** The room for the hub's own checks: its public JSON plus {@code passwordHash} and {@code banned}. */
  public Future<JsonObject> roomForChecks(String id) {
    return mongo.findOne(ROOMS, byId(id), null).map(doc -> {
      if (doc == null) throw ApiError.notFound("No such room");
      return Room.fromDocument(doc).toJson()
          .put("passwordHash", doc.getString("passwordHash"))
          .put("banned", doc.getJsonArray("banned", new JsonArray()));
    });
  }

  /**
   * Hands the room over to another user who is in it; only the owner may. Answers the room.
   */
  public Future<Room> handOver(String roomId, String owner, String newOwner) {
    return participants(roomId).compose(people -> {
      JsonObject target = people.stream().map(JsonObject.class::cast)
          .filter(p -> newOwner.equals(p.getString("user"))).findFirst().orElse(null);
      if (target == null) return Future.failedFuture(ApiError.notFound("That user is not in the room"));
      JsonObject set = new JsonObject().put("$set", new JsonObject().put("owner", newOwner).put("ownerColor", target.getString("color")));
      return mongo.findOneAndUpdateWithOptions(ROOMS, byId(roomId).put("owner", owner), set, new FindOptions(),
              new UpdateOptions().setReturningNewDocument(true))
          .compose(doc -> doc != null
              ? Future.succeededFuture(Room.fromDocument(doc))
              : Future.failedFuture(ApiError.forbidden("Only the owner can hand the room over")));
    });
  }

  /** Another node removed a user from a room: if this node numbers the room, it refuses their posts from now on. */
  public void removedFromRoom(String roomId, String user) {
    numbers.removed(roomId, user);
  }

  /** The owner removes a user from the room for good: they cannot enter, join or post again. */
  public Future<Room> ban(String roomId, String owner, String user) {
    if (owner.equals(user)) return Future.failedFuture(ApiError.badRequest("You cannot remove yourself; leave instead"));
    return room(roomId).compose(room -> {
      if (!room.owner().equals(owner)) return Future.failedFuture(ApiError.forbidden("Only the owner can remove people"));
      JsonObject add = new JsonObject().put("$addToSet", new JsonObject().put("banned", user));
      return mongo.findOneAndUpdateWithOptions(ROOMS, byId(roomId).put("owner", owner), add, new FindOptions(),
              new UpdateOptions().setReturningNewDocument(true))
          .compose(doc -> {
            if (doc == null) return Future.failedFuture(ApiError.forbidden("Only the owner can remove people"));
            numbers.removed(roomId, user);
            return Future.succeededFuture(Room.fromDocument(doc));
          });
    });
  }

  /**
   * A page of a room's history, oldest first: with {@code after}, everything newer than it (up to
   * {@code limit}); otherwise the newest {@code limit} before {@code before} (or overall). The room's
   * counter says which numbers exist, and the messages are fetched by their keys. Only when one is
   * missing below the newest found (a number whose insert failed, or messages stored by an older hub
   * without a key) is the room queried as a whole, which the embedded store answers by a scan.
   */
  public Future<List<ChatMessage>> page(String roomId, Long before, Long after, int limit) {
    return mongo.findOne(ROOMS, byId(roomId), new JsonObject().put("seq", 1)).compose(room -> room == null
        ? Future.succeededFuture(List.<ChatMessage>of())
        : numbers.lastStored(roomId, Math.max(room.getLong("seq", 0L), numbers.known(roomId)))
            .compose(last -> pageUpTo(roomId, last, before, after, limit)));
  }

  private Future<List<ChatMessage>> pageUpTo(String roomId, long last, Long before, Long after, int limit) {
    long from;
    long to;
    if (after != null) {
      from = after + 1;
      to = Math.min(last, after + limit);
    } else {
      to = before != null ? Math.min(before - 1, last) : last;
      from = Math.max(1, to - limit + 1);
    }
    if (to < from) return Future.succeededFuture(List.<ChatMessage>of());
    return mongo.find(CHATS, keysOf(roomId, from, to)).compose(docs -> {
      List<ChatMessage> found = docs.stream().map(ChatMessage::fromJson)
          .sorted(java.util.Comparator.comparingLong(ChatMessage::seq)).toList();
      // from, from + 1, … with nothing missing but the newest (numbered, not inserted yet): the answer.
      // A hole (a number whose message was never stored) or messages without a key: ask the room.
      for (int i = 0; i < found.size(); i++) {
        if (found.get(i).seq() != from + i) return pageByQuery(roomId, before, after, limit);
      }
      return found.isEmpty() ? pageByQuery(roomId, before, after, limit) : Future.succeededFuture(found);
    });
  }

  private Future<List<ChatMessage>> pageByQuery(String roomId, Long before, Long after, int limit) {
    JsonObject query = new JsonObject().put("room", roomId);
    FindOptions options = new FindOptions().setLimit(limit);
    boolean newestFirst = after == null;
    if (after != null) {
      query.put("seq", new JsonObject().put("$gt", after));
      options.setSort(new JsonObject().put("seq", 1));
    } else {
      if (before != null) query.put("seq", new JsonObject().put("$lt", before));
      options.setSort(new JsonObject().put("seq", -1));
    }
    return mongo.findWithOptions(CHATS, query, options).map(docs -> {
      List<ChatMessage> messages = new java.util.ArrayList<>(docs.stream().map(ChatMessage::fromJson).toList());
      if (newestFirst) java.util.Collections.reverse(messages);
      return messages;
    });
  }

  // ---- sessions -----------------------------------------------------------------------------
  //
  // Web sessions (identity and room access) are kept here, serialized by Vert.x, so that they survive
  // a restart and are the same on every node, with no cluster-wide memory to lose or split.

  /** The serialized session (base64), or null when there is none or it expired. */
  public Future<String> session(String id, long now) {
    return mongo.findOne(SESSIONS, byId(id).put("expires", new JsonObject().put("$gt", now)), new JsonObject().put("data", 1))
        .map(doc -> doc == null ? null : doc.getString("data"));
  }

  public Future<Void> putSession(String id, String data, long expires) {
    return mongo.save(SESSIONS, byId(id).put("data", data).put("expires", expires)).mapEmpty();
  }

  public Future<Void> deleteSession(String id) {
    return mongo.removeDocument(SESSIONS, byId(id)).mapEmpty();
  }

  public Future<Integer> countSessions(long now) {
    return mongo.count(SESSIONS, new JsonObject().put("expires", new JsonObject().put("$gt", now))).map(Long::intValue);
  }

  public Future<Void> clearSessions() {
    return mongo.removeDocuments(SESSIONS, new JsonObject()).mapEmpty();
  }

  public Future<Void> forgetExpiredSessions(long now) {
    return mongo.removeDocuments(SESSIONS, new JsonObject().put("expires", new JsonObject().put("$lte", now))).mapEmpty();
  }

  // ---- GIFs -----------------------------------------------------------------------------------

  /** Stores an uploaded GIF (a file on this node's disk) in GridFS; answers its file id. */
  public Future<String> putGif(String path, String roomId) {
    GridFsUploadOptions options = new GridFsUploadOptions().setMetadata(new JsonObject().put("room", roomId));
    return vertx.fileSystem().open(path, new io.vertx.core.file.OpenOptions().setRead(true).setWrite(false))
        .compose(file -> gifs.uploadByFileNameWithOptions(file, "upload.gif", options)
            .eventually(file::close));
  }

  /** The bytes of a stored GIF; 404 when there is none with that id. */
  public Future<Buffer> gif(String fileId) {
    if (!fileId.matches("[0-9a-f]{24}")) return Future.failedFuture(ApiError.notFound("No such GIF"));
    ReadStream<Buffer> stream = gifs.readById(fileId);
    return stream.collect(Collector.of(Buffer::buffer, Buffer::appendBuffer, Buffer::appendBuffer))
        .recover(err -> Future.failedFuture(ApiError.notFound("No such GIF")));
  }

  private static JsonObject byId(String id) {
    return new JsonObject().put("_id", id);
  }
}
