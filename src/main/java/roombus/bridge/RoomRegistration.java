package roombus.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.common.ThrottledLog;
import roombus.identity.Identity;
import roombus.model.ChatMessage;
import roombus.model.Participant;
import roombus.model.Whisper;

/**
 * A room one socket registered on, and what it has been given of it. After the welcome, the
 * catch-up (the stored messages after the client's {@code since}) is written first; live messages
 * that come meanwhile are held back, then written, except those the catch-up already carried. Live
 * messages are never dropped for their order (posts stored by different nodes may be published
 * slightly out of seq order); a gap in the seqs that lasts is filled from the store ({@link
 * DeliveredSeqs}).
 *
 * <p>The registration is what the node's {@link Fanout} hands the room's messages to, until it is
 * {@link #withdraw withdrawn} (the socket unregistered, left the room, or closed). Used on its
 * connection's event loop only.
 */
final class RoomRegistration implements Fanout.Subscriber {

  private static final Logger log = LoggerFactory.getLogger(RoomRegistration.class);

  /** A line or two a minute at most, however many entries are slow. */
  private static final ThrottledLog slowLog = ThrottledLog.of(log, 3);

  private static final int CATCH_UP_PAGE = 500;

  /** How long seqs missing before a live message may take to arrive before the store is asked. */
  private static final long GAP_PATIENCE_MS = 1_000;

  /** How long a copy written from the store waits for its live twin, to drop it. */
  private static final long STORE_COPIES_KEPT_MS = 10_000;

  /** An entry into the room not done after this long is logged, with the step it waits for. */
  private static final long SLOW_ENTRY_MS = 5_000;

  /**
   * A registration withdrawn (unregistered, or its socket closed) while it was being admitted: not
   * a fault.
   */
  private static final VertxException WITHDRAWN =
      new VertxException("registration withdrawn", true);

  /** A live message that came while the catch-up was being written. */
  private record Pending(Buffer frame, long seq, String id) {}

  final String address;
  final String roomId;

  /** Who entered: the connection's user when it registered (a connection in a room keeps it). */
  private final Identity identity;

  /** The client's last seq of the room, from a socket back after a break; -1 for none. */
  private final long since;

  private final BridgeConnection connection;
  private final BridgeHub hub;

  /** Live messages held back while the catch-up is written; none once live. */
  private List<Pending> pending = new ArrayList<>();

  private final DeliveredSeqs seqs;

  /**
   * Seqs written from the store (catch-up, a filled gap) whose live copy may still come: it is not
   * written twice. Empty and immutable while there are none, as for most of a registration's life.
   */
  private Set<Long> fromStore = Set.of();

  /** The ids of whispers the catch-up wrote, likewise. */
  private Set<String> whispersFromStore = Set.of();

  /** The user holds a place in the room through this registration (to give back when it ends). */
  boolean joined;

  private boolean live;

  /** No longer its connection's registration on the address: it gets and writes nothing more. */
  private boolean withdrawn;

  /** The step of entering the room under way, for the log when it is slow. */
  private String step = "";

  /** A look at the store for a gap is due or under way. */
  private boolean gapCheck;

  RoomRegistration(
      BridgeConnection connection,
      BridgeHub hub,
      String address,
      String roomId,
      Identity identity,
      long since) {
    this.connection = connection;
    this.hub = hub;
    this.address = address;
    this.roomId = roomId;
    this.identity = identity;
    this.since = since;
    this.seqs = new DeliveredSeqs(since);
  }

  boolean isLive() {
    return live;
  }

  @Override
  public Context context() {
    return connection.context();
  }

  @Override
  public Thread eventLoop() {
    return connection.eventLoop();
  }

  /**
   * Ends this registration: the node's fan-out stops handing it the room's messages, and whatever
   * of entering is still under way gives up. Called by its connection, once or more.
   */
  void withdraw() {
    withdrawn = true;
    hub.fanout().unsubscribe(address, this);
  }

  // ---- entering ---------------------------------------------------------------------------------

  /**
   * Enters the room, once {@code access} (the session's right to the room) is known: the node's
   * subscription to the room's address, a place in the room, the welcome with who is there, then
   * the catch-up after {@code since}; live messages follow. Fails as {@link #WITHDRAWN} when the
   * socket unregistered or closed meanwhile; {@link #joined} says whether the place it took is to
   * be given back.
   */
  Future<Void> enter(Future<Void> access) {
    entering("access");
    return access
        .compose(
            v -> {
              if (withdrawn) return Future.failedFuture(WITHDRAWN);
              entering("subscribe");
              return hub.fanout().subscribe(address, this);
            })
        .compose(
            v -> {
              entering("join");
              return hub.rooms().join(roomId, identity);
            })
        .compose(
            v -> {
              joined = true;
              if (withdrawn) return Future.failedFuture(WITHDRAWN);
              entering("participants");
              return hub.store().presence().participants(roomId);
            })
        .compose(
            participants -> {
              entering("catch-up");
              connection.write(frame(welcome(participants)));
              return since >= 0 ? catchUp(identity.user(), since) : Future.<Void>succeededFuture();
            })
        .onSuccess(v -> goLive());
  }

  private String welcome(List<Participant> participants) {
    return new JsonObject()
        .put("type", "welcome")
        .put("room", roomId)
        .put("user", identity.user())
        .put("color", identity.color())
        .put("count", participants.size())
        .put("participants", new JsonArray(participants.stream().map(Participant::toJson).toList()))
        .encode();
  }

  /** Names the step of entering under way; one still under way after a while is logged. */
  private void entering(String step) {
    if (this.step.isEmpty()) watchEntry();
    this.step = step;
  }

  private void watchEntry() {
    long started = System.currentTimeMillis();
    connection
        .context()
        .owner()
        .setTimer(
            SLOW_ENTRY_MS,
            id -> {
              if (!live && !withdrawn)
                slowLog.warn(
                    "event=room_entry_slow room={} step={} waited_ms={} transport={}",
                    roomId,
                    step,
                    System.currentTimeMillis() - started,
                    connection.transport());
            });
  }

  /**
   * Writes every stored message after {@code since}, page by page, with {@code user}'s whispers
   * among them, remembering their seqs (and the whispers' ids) so the live copies held back
   * meanwhile are not written twice.
   */
  private Future<Void> catchUp(String user, long since) {
    return contiguousPage(since, 0)
        .compose(
            page ->
                hub.history()
                    .withWhispers(roomId, user, page, null, since, CATCH_UP_PAGE)
                    .map(
                        merged -> {
                          for (JsonObject item : merged) {
                            if (Whisper.TYPE.equals(item.getString("type"))) {
                              whispersFromStore = with(whispersFromStore, item.getString("id"));
                            } else {
                              fromStore = with(fromStore, item.getLong("seq"));
                              seqs.wrote(item.getLong("seq"));
                            }
                            connection.write(frame(item.encode()));
                          }
                          return page;
                        }))
        .compose(
            page ->
                page.size() < CATCH_UP_PAGE || withdrawn
                    ? Future.succeededFuture()
                    : catchUp(user, page.get(page.size() - 1).seq()));
  }

  /**
   * A page of stored messages after {@code since} without holes. A seq is handed out just before
   * its message is inserted, so a read can see message 8 while 7 is still on its way; such a page
   * is read again a moment later (a few times at most) so that the client gets the history in
   * order.
   */
  private Future<List<ChatMessage>> contiguousPage(long since, int attempt) {
    return hub.store()
        .chats()
        .page(roomId, null, since, CATCH_UP_PAGE)
        .compose(
            page -> {
              long expected = since + 1;
              for (ChatMessage m : page) {
                if (m.seq() != expected++) {
                  if (attempt >= 5) break;
                  return connection
                      .context()
                      .owner()
                      .timer(20)
                      .compose(t -> contiguousPage(since, attempt + 1));
                }
              }
              return Future.succeededFuture(page);
            });
  }

  /** The catch-up is written: the live messages held back follow, then every other. */
  private void goLive() {
    live = true;
    for (Pending p : pending) writeLive(p.frame(), p.seq(), p.id());
    pending = List.of();
    forgetStoreCopiesLater();
  }

  /** {@code set} with {@code item} in it: a set of its own once there is something to hold. */
  private static <T> Set<T> with(Set<T> set, T item) {
    Set<T> held = set.isEmpty() ? new HashSet<>() : set;
    held.add(item);
    return held;
  }

  // ---- live messages ----------------------------------------------------------------------------

  /**
   * A live message of the room, from the node's fan-out: written if it is for this user (a whisper
   * is for two), held back while the catch-up is written. A message that removes the user (a kick,
   * the room deleted) ends the socket's stay in the room once written.
   */
  @Override
  public void deliver(String address, Fanout.Delivery delivery) {
    if (withdrawn) return;
    EventHeaders headers = delivery.headers();
    if (!headers.isFor(identity.user())) return;
    Buffer frame = delivery.frame(connection.style());
    if (!live) {
      pending.add(new Pending(frame, headers.seq(), headers.id()));
      return;
    }
    writeLive(frame, headers.seq(), headers.id());
    // unless that write found the client too slow and closed it
    if (!withdrawn && headers.removes(identity.user())) connection.dropRoom(this, headers.kicked());
  }

  private void writeLive(Buffer frame, long seq, String id) {
    if (seq > 0 && !fromStore.isEmpty() && fromStore.remove(seq)) return;
    if (id != null && !whispersFromStore.isEmpty() && whispersFromStore.remove(id)) return;
    connection.write(frame);
    hub.metrics().delivered();
    if (seqs.wrote(seq)) awaitGap();
  }

  /**
   * The copies written from the store are forgotten after a while: a live copy of one can only be
   * in flight for a moment.
   */
  private void forgetStoreCopiesLater() {
    if (fromStore.isEmpty() && whispersFromStore.isEmpty()) return;
    connection
        .context()
        .owner()
        .setTimer(
            STORE_COPIES_KEPT_MS,
            id -> {
              fromStore = Set.of();
              whispersFromStore = Set.of();
            });
  }

  // ---- gaps -------------------------------------------------------------------------------------

  /**
   * A live message came with seqs missing before it. Under load that is common and brief (the
   * node's posts are published from several event loops, a peer's a moment later): only a seq still
   * missing after {@link #GAP_PATIENCE_MS} is read from the store.
   */
  private void awaitGap() {
    if (gapCheck) return;
    gapCheck = true;
    long missing = seqs.through() + 1;
    connection.context().owner().setTimer(GAP_PATIENCE_MS, id -> checkGap(missing));
  }

  private void checkGap(long missing) {
    gapCheck = false;
    if (withdrawn || !seqs.hasGap()) return;
    if (seqs.through() >= missing) {
      awaitGap(); // that one came; the seq missing now gets its own time
      return;
    }
    fillGap();
  }

  private void fillGap() {
    gapCheck = true;
    long from = seqs.through();
    long upTo = seqs.highest();
    int limit = (int) Math.min(CATCH_UP_PAGE, upTo - from);
    hub.store()
        .chats()
        .page(roomId, null, from, limit)
        .onComplete(
            read -> {
              gapCheck = false;
              if (withdrawn) return;
              if (read.failed()) {
                awaitGap(); // the store is away: again in a moment
                return;
              }
              List<ChatMessage> page = read.result();
              // a full page may end before the gap does: the rest is read next
              long settled = page.size() == limit ? page.get(page.size() - 1).seq() : upTo;
              for (ChatMessage message : page) {
                if (message.seq() > settled) break;
                // its live copy came while the store was read
                if (message.seq() <= seqs.through() || seqs.wroteAhead(message.seq())) continue;
                fromStore = with(fromStore, message.seq());
                connection.write(frame(message.toJson().encode()));
                hub.metrics().delivered();
              }
              seqs.settledThrough(settled);
              forgetStoreCopiesLater();
              if (seqs.hasGap()) awaitGap();
            });
  }

  private Buffer frame(String body) {
    return BridgeFrames.delivery(connection.style(), address, body);
  }
}
