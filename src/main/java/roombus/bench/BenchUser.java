package roombus.bench;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import roombus.busclient.BusAddresses;
import roombus.busclient.HubHttp;

/**
 * A simulated visitor: a room and one socket per tab; on roombus also a session cookie. Its first
 * tab is the one that posts.
 */
final class BenchUser {

  final int index;
  final BenchNode node;
  final BenchRoom room;
  final boolean creator;
  final List<BenchLink> sockets = new ArrayList<>();

  /** The user's JSON API calls, on the node's shared HTTP client, keeping the session cookie. */
  final HubHttp api;

  /** Microseconds spent getting a session and creating or entering the room. */
  volatile long setupMicros;

  /** The step of arriving under way, or the last one done: for a set-up that does not end. */
  private volatile String step = "queued";

  BenchUser(int index, BenchNode node, BenchRoom room, boolean creator) {
    this.index = index;
    this.node = node;
    this.room = room;
    this.creator = creator;
    this.api = new HubHttp(node.http, node.hub);
  }

  /** Where setting this user up is: a step of arriving, then the steps of its sockets. */
  String stage() {
    if (!step.equals("arrived")) return step;
    return sockets.stream().map(BenchLink::step).distinct().collect(Collectors.joining("+"));
  }

  /**
   * GET /api/me, then POST /api/rooms (the creator) or POST /api/rooms/:id/enter (everyone else).
   */
  Future<Void> arrive(int maxUsers) {
    long start = System.nanoTime();
    step = "session";
    return api.me()
        .compose(
            me -> {
              step = creator ? "create_room" : "enter_room";
              return creator
                  ? api.createRoom("bench room " + room.index, maxUsers, null)
                      .map(
                          created -> {
                            room.id = created.getString("id");
                            room.address = BusAddresses.room(room.id);
                            return null;
                          })
                  : api.enter(room.id, null).<Void>mapEmpty();
            })
        .onSuccess(
            v -> {
              setupMicros = (System.nanoTime() - start) / 1000;
              step = "arrived";
            })
        .mapEmpty();
  }
}
