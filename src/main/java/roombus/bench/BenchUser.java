package roombus.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** A simulated visitor: a session cookie, a room, and one socket per tab. */
final class BenchUser {

  final int index;
  final BenchNode node;
  final BenchRoom room;
  final boolean creator;
  final List<BenchSocket> sockets = new ArrayList<>();
  volatile String sid;
  /** Microseconds spent getting a session and creating or entering the room. */
  volatile long setupMicros;

  BenchUser(int index, BenchNode node, BenchRoom room, boolean creator) {
    this.index = index;
    this.node = node;
    this.room = room;
    this.creator = creator;
  }

  /** GET /api/me, then POST /api/rooms (the creator) or POST /api/rooms/:id/enter (everyone else). */
  Future<Void> arrive(int maxUsers) {
    long start = System.nanoTime();
    return node.request(this, HttpMethod.GET, "/api/me", null)
        .compose(me -> creator
            ? node.request(this, HttpMethod.POST, "/api/rooms",
                new JsonObject().put("title", "bench room " + room.index).put("max", maxUsers))
                .map(created -> {
                  room.id = created.getString("id");
                  room.address = "chat.room." + room.id;
                  return null;
                })
            : node.request(this, HttpMethod.POST, "/api/rooms/" + room.id + "/enter", new JsonObject()).mapEmpty())
        .onSuccess(v -> setupMicros = (System.nanoTime() - start) / 1000)
        .mapEmpty();
  }
}
